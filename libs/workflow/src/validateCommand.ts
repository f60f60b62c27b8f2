import { NotFoundError, type ValidationIssue, type WorkflowEventDraft } from '@commandflow/events';
import type { CommandDetailsState } from '@commandflow/projections';
import { queueNames, stepMessageId } from '@commandflow/topology';
import { commandContext } from './commandContext';
import { runStep, type MessageTrace, type Step, type StepOutcome, type WorkflowDependencies } from './stepRunner';

/**
 * Validate: only a Created command is validated. The parameter schema, then the business rules,
 * give one ValidationErrorOccurred per issue; with no fatal one, ValidationSucceeded follows.
 */
export const validateStep: Step<void> = {
  name: 'validate',
  async decide(state, _input, deps) {
    if (state.status === 'Empty') throw new NotFoundError('command_not_found', 'No command with this id: nothing to validate');
    if (state.status !== 'Created') return [];
    const issues = await findIssues(deps, state);
    const drafts: WorkflowEventDraft[] = issues.map((issue) => ({ type: 'ValidationErrorOccurred', data: issue }));
    if (issues.some((issue) => issue.fatal)) return drafts;
    return [...drafts, { type: 'ValidationSucceeded', data: { warnings: issues.length } }];
  },
  next: (state) => (state.status === 'Validated' ? queueNames.execute : undefined),
};

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
