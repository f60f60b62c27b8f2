import { sampleCatalogue } from '@commandflow/commands';
import type { EventStore } from '@commandflow/event-store';
import { openAppRuntime, type Environment } from '@commandflow/runtime';
import type { CommandCatalogue, CommandListStore, WorkflowDependencies } from '@commandflow/workflow';
import { continuationKeyFrom, continuationTokens, type ContinuationTokens } from './continuationTokens';

/** What the intake app's functions use. */
export interface IntakeServices {
  readonly workflow: WorkflowDependencies;
  readonly catalogue: CommandCatalogue;
  readonly eventStore: EventStore;
  readonly listStore: CommandListStore;
  /** Signs the list's continuation tokens; default: a random key per process. */
  readonly continuationTokens?: ContinuationTokens;
}

/** The intake app's composition root: settings from the environment, adapters from the settings. */
export async function composeIntake(env: Environment): Promise<IntakeServices> {
  const runtime = await openAppRuntime(env, sampleCatalogue());
  return {
    workflow: runtime.workflow,
    catalogue: runtime.workflow.catalogue,
    eventStore: runtime.eventStore,
    listStore: runtime.listStore,
    continuationTokens: continuationTokens(continuationKeyFrom(env)),
  };
}
