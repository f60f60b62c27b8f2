import { PoisonMessageError, type ValidationIssue, type WorkflowEventDraft } from '@commandflow/events';
import type { CommandDetailsState } from '@commandflow/projections';
import { queueNames, stepMessageId } from '@commandflow/topology';
import { commandContext } from './commandContext';
import type { Step } from './step';
import { runStep, type MessageTrace, type StepOutcome } from './stepRunner';
import type { WorkflowDependencies } from './workflowDependencies';

/**
 * Validate: only a Created command is validated. Its issues (the parameter schema's, then the
 * business rules', found by the effect) give one ValidationErrorOccurred each; with no fatal one,
 * ValidationSucceeded follows and the command goes on to `execute`.
 */
export const validateStep: Step<void, readonly ValidationIssue[]> = {
  name: 'validate',
  pendingStatus: 'Created',
  decide(state, _input, issues = []) {
    if (state.status === 'Empty') throw new PoisonMessageError('command_not_found', 'No command with this id: nothing to validate');
    if (state.status !== 'Created') return { events: [], ...(state.status === 'Validated' ? { next: queueNames.execute } : {}) };
    const errors: WorkflowEventDraft[] = issues.map((issue) => ({ type: 'ValidationErrorOccurred', data: issue }));
    if (issues.some((issue) => issue.fatal)) return { events: errors };
    return { events: [...errors, { type: 'ValidationSucceeded', data: { warnings: issues.length } }], next: queueNames.execute };
  },
  effect: findIssues,
};

/** The command's issues: its parameters against the schema, then (if they match) its business rules. */
async function findIssues(deps: WorkflowDependencies, state: CommandDetailsState): Promise<readonly ValidationIssue[]> {
  const definition = deps.catalogue.find(state.commandType);
  if (!definition) {
    return [{ rule: 'known-command-type', message: `Unknown command type ${state.commandType}`, fatal: true }];
  }
  const parsed = definition.parameters.safeParse(state.parameters);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      ...(issue.path.length > 0 ? { parameter: issue.path.map(String).join('.') } : {}),
      rule: issue.code,
      message: issue.message,
      fatal: true,
    }));
  }
  return (await definition.validate?.(parsed.data, commandContext(deps, state))) ?? [];
}

/** Runs the validate step for the command a `validate` message names. */
export function validateCommand(deps: WorkflowDependencies, commandId: string, trace: MessageTrace = {}): Promise<StepOutcome> {
  return runStep(deps, validateStep, commandId, undefined, { ...trace, causationId: stepMessageId(commandId, queueNames.validate) });
}
