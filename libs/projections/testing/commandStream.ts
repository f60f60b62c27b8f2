import type { WorkflowEvent, WorkflowEventDraft } from '@commandflow/events';

/** Envelopes drafts as one command's stream, one second apart from 2026-01-01T00:00:01Z. */
export function stream(...drafts: WorkflowEventDraft[]): WorkflowEvent[] {
  return drafts.map(
    (draft, index) =>
      ({
        ...draft,
        eventId: `e-${index + 1}`,
        streamId: 'command-c1',
        version: index + 1,
        metadata: {
          commandId: 'c1',
          correlationId: 'corr-1',
          causationId: 'req-1',
          actor: 'ada',
          occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index + 1)).toISOString(),
          schemaVersion: 1,
        },
      }) as WorkflowEvent,
  );
}
