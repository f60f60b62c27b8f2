import { sampleCatalogue } from '@commandflow/commands';
import type { EventStore } from '@commandflow/event-store';
import type { DeadLetters } from '@commandflow/messaging';
import { openAppRuntime, type Backend, type Environment } from '@commandflow/runtime';
import type { CommandCatalogue, CommandListStore, DeliveryPolicy, WorkflowDependencies } from '@commandflow/workflow';
import { continuationKeyFrom, continuationTokens, type ContinuationTokens } from './continuationTokens';

/** What the intake app's functions use. */
export interface IntakeServices {
  readonly workflow: WorkflowDependencies;
  readonly catalogue: CommandCatalogue;
  readonly eventStore: EventStore;
  readonly listStore: CommandListStore;
  readonly deadLetters: DeadLetters;
  readonly delivery: DeliveryPolicy;
  /** Signs the list's continuation tokens; default: a random key per process. */
  readonly continuationTokens?: ContinuationTokens;
}

/** The intake app's composition root, on the back end its host names. */
export async function composeIntake(env: Environment, backend: Backend, catalogue: CommandCatalogue = sampleCatalogue()): Promise<IntakeServices> {
  const continuationKey = continuationKeyFrom(env);
  const { workflow, eventStore, listStore, deadLetters, delivery } = await openAppRuntime(env, backend, catalogue);
  return { workflow, catalogue, eventStore, listStore, deadLetters, delivery, continuationTokens: continuationTokens(continuationKey) };
}
