import { sampleCatalogue } from '@commandflow/commands';
import { openAppRuntime, type Environment } from '@commandflow/runtime';
import type { WorkflowDependencies } from '@commandflow/workflow';

export interface ExecutorServices {
  readonly workflow: WorkflowDependencies;
  /** The execute queue's maxDeliveryCount: on that delivery a failing command is recorded as Failed. */
  readonly maxDeliveryCount: number;
}

/** The executor app's composition root. */
export async function composeExecutor(env: Environment): Promise<ExecutorServices> {
  const runtime = await openAppRuntime(env, sampleCatalogue());
  return { workflow: runtime.workflow, maxDeliveryCount: runtime.settings.maxDeliveryCount };
}
