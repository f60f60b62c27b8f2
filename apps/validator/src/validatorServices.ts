import { sampleCatalogue } from '@commandflow/commands';
import { openAppRuntime, type Environment } from '@commandflow/runtime';
import type { WorkflowDependencies } from '@commandflow/workflow';

/** The validator app's composition root. */
export async function composeValidator(env: Environment): Promise<WorkflowDependencies> {
  return (await openAppRuntime(env, sampleCatalogue())).workflow;
}
