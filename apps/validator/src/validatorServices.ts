import { sampleCatalogue } from '@commandflow/commands';
import { openAppRuntime, type Environment } from '@commandflow/runtime';
import type { WorkflowDependencies } from '@commandflow/workflow';

/** The validator app's composition root. */
export function composeValidator(env: Environment): WorkflowDependencies {
  return openAppRuntime(env, sampleCatalogue()).workflow;
}
