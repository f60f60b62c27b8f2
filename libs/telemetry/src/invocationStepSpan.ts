import type { InvocationContext } from '@azure/functions';
import { incomingTraceparent } from '@commandflow/functions';
import { startStepSpan, type StepSpan, type WorkflowStepName } from './stepSpan';

/**
 * The span of the step a triggered invocation runs: a child of the trace its trigger carried
 * (`incomingTraceparent`), linked to the Functions host's own invocation when that is another trace.
 */
export function startInvocationStepSpan(step: WorkflowStepName, invocation: InvocationContext, commandId?: string): StepSpan {
  const parent = incomingTraceparent(invocation);
  return startStepSpan(step, {
    ...(parent ? { parent } : {}),
    ...(invocation.traceContext?.traceParent ? { link: invocation.traceContext.traceParent } : {}),
    ...(commandId ? { commandId } : {}),
  });
}
