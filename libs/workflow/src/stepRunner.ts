import { isConcurrencyError, workflowEventCodec, commandStreamId, type WorkflowEvent, type WorkflowEventDraft } from '@commandflow/events';
import type { OutgoingMessage } from '@commandflow/messaging';
import { commandState, foldCommandState, type CommandState } from '@commandflow/projections';
import { stepMessageId, type QueueName } from '@commandflow/topology';
import { giveUp, type Decision, type Step, type StepFailure } from './step';
import type { WorkflowDependencies } from './workflowDependencies';

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
 * Runs a step: read the stream → project → run the step's effect if the command still needs it
 * → decide → append at the expected version → send the next message. A lost append race re-reads
 * and decides again with the effect's outcome already known, so the command's code never runs
 * twice in one delivery. The send comes last, so a crash between append and send is healed by
 * redelivery (the step then appends nothing and sends again).
 */
export async function runStep<Input, Outcome>(
  deps: WorkflowDependencies,
  step: Step<Input, Outcome>,
  commandId: string,
  input: Input,
  trace: StepTrace,
): Promise<StepOutcome> {
  let known: { readonly outcome: Outcome } | undefined;
  return runDecisions(deps, commandId, trace, async (state) => {
    if (!known && step.effect && state.status === step.pendingStatus && state.status !== 'Empty') {
      known = { outcome: await step.effect(deps, state) };
    }
    return step.decide(state, input, known?.outcome);
  });
}

/** Runs a step's last-attempt rule for a command: CommandFailed if the step still had work on it. */
export function giveUpOnCommand(
  deps: WorkflowDependencies,
  step: Step<never, unknown>,
  commandId: string,
  failure: StepFailure,
  trace: StepTrace,
): Promise<StepOutcome> {
  return runDecisions(deps, commandId, trace, async (state) => giveUp(step as Step<unknown, unknown>, state, failure));
}

async function runDecisions(
  deps: WorkflowDependencies,
  commandId: string,
  trace: StepTrace,
  decide: (state: CommandState) => Promise<Decision>,
): Promise<StepOutcome> {
  const streamId = commandStreamId(commandId);
  const maxRetries = deps.maxConcurrencyRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const { events, version } = await deps.eventStore.readStream(streamId);
    const state = commandState(workflowEventCodec.decodeAll(events));
    const decision = await decide(state);
    const appended = envelope(deps, streamId, commandId, state, version, decision.events, trace);
    if (appended.length > 0) {
      try {
        await deps.eventStore.appendToStream(streamId, appended, { expectedVersion: version === 0 ? 'no-stream' : version });
      } catch (error) {
        if (isConcurrencyError(error) && attempt < maxRetries) continue;
        throw error;
      }
    }
    const finalState = foldCommandState(state, appended);
    if (decision.next === undefined || finalState.status === 'Empty') return { commandId, state: finalState, appended };
    const message = stepMessage(commandId, decision.next, finalState, trace.traceparent);
    await deps.sender.send(decision.next, message);
    return { commandId, state: finalState, appended, sent: { queue: decision.next, messageId: message.messageId } };
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
  if (drafts.length === 0) return [];
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
