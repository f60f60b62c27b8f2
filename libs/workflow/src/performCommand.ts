import { IllegalStateError, NotFoundError, isCommandflowError, isRetryable, type Json, type WorkflowEventDraft } from '@commandflow/events';
import { queueNames, stepMessageId } from '@commandflow/topology';
import { commandContext } from './commandContext';
import { runStep, type MessageTrace, type Step, type StepOutcome, type WorkflowDependencies } from './stepRunner';

/** Which delivery of the execute message this is, as the trigger counts them. */
export interface DeliveryAttempt {
  /** 1 on the first delivery. */
  readonly attempt: number;
  /** The delivery after which the queue gives up (its maxDeliveryCount). */
  readonly maxAttempts: number;
}

/**
 * Perform: only a Validated command is executed. Success appends CommandCompleted; a permanent
 * error, or a transient one on the last attempt, appends CommandFailed; a transient one before
 * that is rethrown so the trigger redelivers. A command not yet validated is retried later.
 */
export const performStep: Step<DeliveryAttempt> = {
  name: 'perform',
  async decide(state, { attempt, maxAttempts }, deps): Promise<readonly WorkflowEventDraft[]> {
    if (state.status === 'Empty') throw new NotFoundError('command_not_found', 'No command with this id: nothing to perform');
    if (state.status === 'Created') {
      throw new IllegalStateError('not_validated', `Command ${state.commandId} is not validated yet`, true);
    }
    if (state.status !== 'Validated') return [];
    try {
      const definition = deps.catalogue.get(state.commandType);
      const result = (await definition.execute(definition.parameters.parse(state.parameters), commandContext(deps, state))) as
        | Json
        | undefined;
      return [{ type: 'CommandCompleted', data: result === undefined ? {} : { result } }];
    } catch (error) {
      if (isRetryable(error) && attempt < maxAttempts) throw error;
      const code = isCommandflowError(error) ? error.code : 'unhandled_error';
      const message = error instanceof Error ? error.message : String(error);
      return [{ type: 'CommandFailed', data: { error: { code, message }, attempts: attempt } }];
    }
  },
  next: () => undefined,
};

/** Runs the perform step for the command an `execute` message names. */
export function performCommand(
  deps: WorkflowDependencies,
  commandId: string,
  delivery: DeliveryAttempt,
  trace: MessageTrace = {},
): Promise<StepOutcome> {
  return runStep(deps, performStep, commandId, delivery, { ...trace, causationId: stepMessageId(commandId, queueNames.execute) });
}
