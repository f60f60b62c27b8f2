import { isConcurrencyError, type EventEnvelope, type NewEvent } from '@commandflow/events';
import type { CommandDetailsState } from '@commandflow/projections';
import type { CommandContext } from './commandDefinition';
import type { WorkflowDependencies } from './workflowDependencies';

/** The context a command's validate and execute run in, for a command in `state`. */
export function commandContext(deps: WorkflowDependencies, state: CommandDetailsState): CommandContext {
  const { commandId, commandType, actor, correlationId } = state;
  return {
    commandId,
    commandType,
    actor,
    correlationId,
    now: deps.now,
    eventStore: deps.eventStore,
    async recordOnce(streamId, decide, options = {}) {
      const maxRetries = deps.maxConcurrencyRetries ?? 5;
      for (let attempt = 0; ; attempt++) {
        const { events, version } = await deps.eventStore.readStream(streamId);
        const caused = events.filter((event) => event.metadata.causationId === commandId);
        if (caused.length > 0) return { events: caused, alreadyRecorded: true };
        const drafts = decide(events);
        if (drafts.length === 0) return { events: [], alreadyRecorded: false };
        const occurredAt = deps.now().toISOString();
        const newEvents = drafts.map(
          ({ type, data }): NewEvent => ({
            eventId: deps.newId(),
            type,
            data,
            metadata: {
              commandId,
              correlationId,
              causationId: commandId,
              actor,
              occurredAt,
              schemaVersion: options.schemaVersionOf?.(type) ?? 1,
            },
          }),
        );
        try {
          await deps.eventStore.appendToStream(streamId, newEvents, { expectedVersion: version === 0 ? 'no-stream' : version });
        } catch (error) {
          if (isConcurrencyError(error) && attempt < maxRetries) continue;
          throw error;
        }
        const recorded = newEvents.map((event, index): EventEnvelope => ({ ...event, streamId, version: version + index + 1 }));
        return { events: recorded, alreadyRecorded: false };
      }
    },
  };
}
