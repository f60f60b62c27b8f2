import { sampleCatalogue } from '@commandflow/commands';
import type { StepServices } from '@commandflow/functions';
import { openAppRuntime, type Backend, type Environment } from '@commandflow/runtime';
import type { CommandCatalogue } from '@commandflow/workflow';

/** The executor app's composition root, on the back end its host names. */
export async function composeExecutor(env: Environment, backend: Backend, catalogue: CommandCatalogue = sampleCatalogue()): Promise<StepServices> {
  const { workflow, delivery, meter } = await openAppRuntime(env, backend, catalogue);
  return { workflow, delivery, ...(meter ? { meter } : {}) };
}
