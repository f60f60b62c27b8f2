import { randomUUID } from 'node:crypto';
import type { EventStore } from '@commandflow/event-store';
import type { MessageSender } from '@commandflow/messaging';
import type { CommandCatalogue, CommandListStore, WorkflowDependencies } from '@commandflow/workflow';
import { openEmbeddedRuntime } from './embeddedRuntime';
import { runtimeSettingsFromEnv, type Environment, type RuntimeSettings } from './runtimeSettings';

/** What an app's composition root builds its functions from. */
export interface AppRuntime {
  readonly settings: RuntimeSettings;
  readonly eventStore: EventStore;
  readonly sender: MessageSender;
  readonly listStore: CommandListStore;
  readonly workflow: WorkflowDependencies;
}

/**
 * Reads and validates the environment, then builds the adapters: the embedded SQLite store and
 * queue. A missing or bad setting throws a ConfigurationError that names it.
 */
export function openAppRuntime(env: Environment, catalogue: CommandCatalogue): AppRuntime {
  const settings = runtimeSettingsFromEnv(env);
  const embedded = openEmbeddedRuntime(settings);
  return {
    settings,
    eventStore: embedded.eventStore,
    sender: embedded.queue,
    listStore: embedded.listStore,
    workflow: {
      eventStore: embedded.eventStore,
      sender: embedded.queue,
      catalogue,
      now: () => new Date(),
      newId: randomUUID,
    },
  };
}
