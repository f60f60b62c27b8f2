import { sampleCatalogue } from '@commandflow/commands';
import type { EventStore } from '@commandflow/event-store';
import { openAppRuntime, type Environment } from '@commandflow/runtime';
import type { DeadLetters } from '@commandflow/messaging';
import type { CommandCatalogue, CommandListStore, WorkflowDependencies } from '@commandflow/workflow';
import { composeDeadLetters } from './embeddedDeadLetters';
import { pageSettingsFromEnv, type PageSettings } from './ui/pageSettings';

/** What the intake app's functions use. */
export interface IntakeServices {
  readonly workflow: WorkflowDependencies;
  readonly catalogue: CommandCatalogue;
  readonly eventStore: EventStore;
  readonly listStore: CommandListStore;
  /** The queues' dead letters; absent where none is configured (404 `dead_letters_unavailable`). */
  readonly deadLetters?: DeadLetters;
  /** Who may open the page and whether it may write; absent means the safe default (signed-in users, read-only). */
  readonly page?: PageSettings;
}

/** The intake app's composition root: settings from the environment, adapters from the settings. */
export async function composeIntake(env: Environment): Promise<IntakeServices> {
  const runtime = await openAppRuntime(env, sampleCatalogue());
  return {
    workflow: runtime.workflow,
    catalogue: runtime.workflow.catalogue,
    eventStore: runtime.eventStore,
    listStore: runtime.listStore,
    deadLetters: await composeDeadLetters(env, runtime.settings),
    page: pageSettingsFromEnv(env),
  };
}
