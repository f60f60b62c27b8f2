import { sampleCatalogue } from '@commandflow/commands';
import { openAppRuntime, type Environment } from '@commandflow/runtime';
import type { WorkflowDependencies } from '@commandflow/workflow';

export interface ExecutorServices {
  readonly workflow: WorkflowDependencies;
  /** The execute queue's maxDeliveryCount: on that delivery a failing command is recorded as Failed. */
  readonly maxDeliveryCount: number;
}

/** The executor app's composition root. */
export function composeExecutor(env: Environment): ExecutorServices {
  const runtime = openAppRuntime(env, sampleCatalogue());
  return { workflow: runtime.workflow, maxDeliveryCount: runtime.settings.maxDeliveryCount };
}
