import type { InvocationContext } from '@azure/functions';
import type { StepName } from '@commandflow/events';
import { startStepSpan, type StepSpan } from '@commandflow/telemetry';
import { incomingTraceparent } from './traceContext';

/**
 * The span of the step a triggered invocation runs: a child of the trace its trigger carried
 * (`incomingTraceparent`), linked to the Functions host's own invocation when that is another trace.
 */
export function startInvocationStepSpan(step: StepName, invocation: InvocationContext, commandId?: string): StepSpan {
  const parent = incomingTraceparent(invocation);
  return startStepSpan(step, {
    ...(parent ? { parent } : {}),
    ...(invocation.traceContext?.traceParent ? { link: invocation.traceContext.traceParent } : {}),
    ...(commandId ? { commandId } : {}),
  });
}
