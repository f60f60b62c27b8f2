import { IllegalStateError, PoisonMessageError, type Json } from '@commandflow/events';
import type { CommandDetailsState } from '@commandflow/projections';
import { queueNames, stepMessageId } from '@commandflow/topology';
import { commandContext } from './commandContext';
import type { Step } from './step';
import { runStep, type MessageTrace, type StepOutcome } from './stepRunner';
import type { WorkflowDependencies } from './workflowDependencies';

/** What the command's handler returned. */
export interface HandlerResult {
  readonly result?: Json;
}

/**
 * Execute: only a Validated command is executed. The effect runs the command's handler; its
 * result is recorded as CommandCompleted. A handler that throws ends the delivery with that error,
 * and the delivery policy decides: retry later, or give up with CommandFailed. A command not yet
 * validated is retried later.
 */
export const executeStep: Step<void, HandlerResult> = {
  name: 'execute',
  pendingStatus: 'Validated',
  decide(state, _input, handled) {
    if (state.status === 'Empty') throw new PoisonMessageError('command_not_found', 'No command with this id: nothing to execute');
    if (state.status === 'Created') {
      throw new IllegalStateError('not_validated', `Command ${state.commandId} is not validated yet`, true);
    }
    if (state.status !== 'Validated' || handled === undefined) return { events: [] };
    return { events: [{ type: 'CommandCompleted', data: handled.result === undefined ? {} : { result: handled.result } }] };
  },
  effect: runHandler,
};

async function runHandler(deps: WorkflowDependencies, state: CommandDetailsState): Promise<HandlerResult> {
  const definition = deps.catalogue.get(state.commandType);
  const result = (await definition.execute(definition.parameters.parse(state.parameters), commandContext(deps, state))) as Json | undefined;
  return result === undefined ? {} : { result };
}

/** Runs the execute step for the command an `execute` message names. */
export function executeCommand(deps: WorkflowDependencies, commandId: string, trace: MessageTrace = {}): Promise<StepOutcome> {
  return runStep(deps, executeStep, commandId, undefined, { ...trace, causationId: stepMessageId(commandId, queueNames.execute) });
}
