import { isConcurrencyError, workflowEventCodec, commandStreamId, type WorkflowEvent, type WorkflowEventDraft } from '@commandflow/events';
import type { EventStore } from '@commandflow/event-store';
import type { MessageSender, OutgoingMessage } from '@commandflow/messaging';
import { commandState, foldCommandState, type CommandState } from '@commandflow/projections';
import { stepMessageId, type QueueName } from '@commandflow/topology';
import type { CommandCatalogue } from './commandDefinition';

/** What every step needs; time and ids are injected. */
export interface WorkflowDependencies {
  readonly eventStore: EventStore;
  readonly sender: MessageSender;
  readonly catalogue: CommandCatalogue;
  readonly now: () => Date;
  readonly newId: () => string;
  /** How often a step re-reads and decides again after losing an append race. Default 5. */
  readonly maxConcurrencyRetries?: number;
}

/** One idempotent step of the workflow: a decision over the projected stream, and where to go next. */
export interface Step<Input> {
  readonly name: 'log' | 'validate' | 'perform';
  /** The events this step adds to a command in `state`; none when its work is already in the stream. */
  decide(state: CommandState, input: Input, deps: WorkflowDependencies): Promise<readonly WorkflowEventDraft[]>;
  /** The queue that should receive the next step's message once the command is in `state`. */
  next(state: CommandState): QueueName | undefined;
}

/** Where the events of one step invocation come from. */
export interface StepTrace {
  /** The message id or request id that triggered the step. */
  readonly causationId: string;
  /** Used when the stream does not exist yet (the log step); later steps take them from the stream. */
  readonly correlationId?: string;
  readonly actor?: string;
  /** W3C trace context of the invocation, recorded on the events and passed on with the next message. */
  readonly traceparent?: string;
}

/** The trace context a queue message brought in. */
export type MessageTrace = Pick<StepTrace, 'traceparent'>;

export interface StepOutcome {
  readonly commandId: string;
  /** The command's state after the step. */
  readonly state: CommandState;
  /** What this invocation appended: empty when the work was already in the stream. */
  readonly appended: readonly WorkflowEvent[];
  /** The next step's message, when one was sent (re-sent on a redelivery). */
  readonly sent?: Readonly<{ queue: QueueName; messageId: string }>;
}

/**
 * Runs a step: read the stream → project → decide → append at the expected version → send the
 * next message. A lost append race re-reads and decides again; the send comes last, so a crash
 * between append and send is healed by redelivery (the step then appends nothing and re-sends).
 */
export async function runStep<Input>(
  deps: WorkflowDependencies,
  step: Step<Input>,
  commandId: string,
  input: Input,
  trace: StepTrace,
): Promise<StepOutcome> {
  const streamId = commandStreamId(commandId);
  const maxRetries = deps.maxConcurrencyRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const { events, version } = await deps.eventStore.readStream(streamId);
    const state = commandState(workflowEventCodec.decodeAll(events));
    const drafts = await step.decide(state, input, deps);
    const appended = envelope(deps, streamId, commandId, state, version, drafts, trace);
    if (appended.length > 0) {
      try {
        await deps.eventStore.appendToStream(streamId, appended, { expectedVersion: version === 0 ? 'no-stream' : version });
      } catch (error) {
        if (isConcurrencyError(error) && attempt < maxRetries) continue;
        throw error;
      }
    }
    const finalState = foldCommandState(state, appended);
    const queue = step.next(finalState);
    if (queue === undefined || finalState.status === 'Empty') return { commandId, state: finalState, appended };
    const message = stepMessage(commandId, queue, finalState, trace.traceparent);
    await deps.sender.send(queue, message);
    return { commandId, state: finalState, appended, sent: { queue, messageId: message.messageId } };
  }
}

/**
 * The message that triggers `queue`'s step for a command: only the id in the body, a
 * deterministic message id, the command type as subject, and the ids a trace needs.
 */
export function stepMessage(
  commandId: string,
  queue: QueueName,
  { commandType, correlationId }: { readonly commandType: string; readonly correlationId: string },
  traceparent?: string,
): OutgoingMessage {
  return {
    messageId: stepMessageId(commandId, queue),
    body: { commandId },
    subject: commandType,
    correlationId,
    properties: { commandId, commandType, correlationId, ...(traceparent ? { traceparent } : {}) },
  };
}

function envelope(
  deps: WorkflowDependencies,
  streamId: string,
  commandId: string,
  state: CommandState,
  version: number,
  drafts: readonly WorkflowEventDraft[],
  trace: StepTrace,
): WorkflowEvent[] {
  const occurredAt = deps.now().toISOString();
  const created = state.status === 'Empty' ? undefined : state;
  return drafts.map(
    (draft, index) =>
      ({
        ...draft,
        eventId: deps.newId(),
        streamId,
        version: version + index + 1,
        metadata: {
          commandId,
          correlationId: created?.correlationId ?? trace.correlationId ?? commandId,
          causationId: trace.causationId,
          actor: created?.actor ?? trace.actor ?? 'system',
          occurredAt,
          schemaVersion: workflowEventCodec.schemaVersionOf(draft.type),
          ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
        },
      }) as WorkflowEvent,
  );
}
