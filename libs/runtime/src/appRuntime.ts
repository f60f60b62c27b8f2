import { randomUUID } from 'node:crypto';
import type { Environment } from '@commandflow/events';
import { CosmosCommandListStore, CosmosEventStore, connectCosmos, type CosmosSettings } from '@commandflow/cosmos';
import type { EventStore } from '@commandflow/event-store';
import type { DeadLetters, MessageSender } from '@commandflow/messaging';
import { ServiceBusDeadLetters, ServiceBusMessageSender, connectServiceBus, type ServiceBusSettings } from '@commandflow/service-bus';
import type { CommandCatalogue, CommandListStore, DeliveryPolicy, WorkflowDependencies } from '@commandflow/workflow';
import { appSettingsFromEnv, embeddedStoresOptions, type AppSettings, type Backend } from './appSettings';

/** What an app's composition root builds its functions from. */
export interface AppRuntime {
  readonly settings: AppSettings;
  readonly eventStore: EventStore;
  readonly sender: MessageSender;
  readonly listStore: CommandListStore;
  readonly deadLetters: DeadLetters;
  readonly delivery: DeliveryPolicy;
  readonly workflow: WorkflowDependencies;
}

/**
 * Reads and validates the settings of `backend`, then builds its adapters: Cosmos DB and Service
 * Bus for `azure`, the embedded SQLite file for `embedded` (loaded only then: better-sqlite3 is
 * native and not part of the apps' Azure bundles). A missing or bad setting throws an error that
 * names it. Clients are shared by every app of the process.
 */
export async function openAppRuntime(env: Environment, backend: Backend, catalogue: CommandCatalogue): Promise<AppRuntime> {
  const settings = appSettingsFromEnv(env, backend);
  const adapters = settings.backend === 'azure' ? azureAdapters(settings.cosmos, settings.serviceBus) : await embeddedAdapters(env);
  const { eventStore, sender } = adapters;
  return {
    settings,
    ...adapters,
    delivery: settings.delivery,
    workflow: { eventStore, sender, catalogue, now: () => new Date(), newId: randomUUID },
  };
}

type Adapters = Pick<AppRuntime, 'eventStore' | 'sender' | 'listStore' | 'deadLetters'>;

/** Clients every app of this process shares, one per settings, each with how to close it. */
const sharedClients = new Map<string, { readonly client: unknown; close(): Promise<void> | void }>();

function shared<Client>(key: string, open: () => { client: Client; close(): Promise<void> | void }): Client {
  let entry = sharedClients.get(key);
  if (!entry) {
    entry = open();
    sharedClients.set(key, entry);
  }
  return entry.client as Client;
}

/** The embedded SQLite stores, one per file and process. */
async function embeddedAdapters(env: Environment): Promise<Adapters> {
  const { openEmbeddedStores } = await import('@commandflow/sqlite');
  const options = embeddedStoresOptions(env);
  return shared(`sqlite:${options.path}`, () => {
    const stores = openEmbeddedStores(options);
    const { eventStore, queue, listStore } = stores;
    return { client: { eventStore, sender: queue, listStore, deadLetters: queue }, close: () => stores.close() };
  });
}

/** One Cosmos DB client per account and one Service Bus client per namespace, for every app of the process. */
function azureAdapters(cosmos: CosmosSettings, serviceBus: ServiceBusSettings): Adapters {
  const { eventStore, listStore } = shared(`cosmos:${JSON.stringify(cosmos)}`, () => {
    const connection = connectCosmos(cosmos);
    return {
      client: { eventStore: new CosmosEventStore(connection.events), listStore: new CosmosCommandListStore(connection.views) },
      close: () => connection.client.dispose(),
    };
  });
  const { sender, deadLetters } = shared(`service-bus:${JSON.stringify(serviceBus)}`, () => {
    const client = connectServiceBus(serviceBus);
    const sender = new ServiceBusMessageSender(client);
    return { client: { sender, deadLetters: new ServiceBusDeadLetters(client) }, close: async () => (await sender.close(), await client.close()) };
  });
  return { eventStore, listStore, sender, deadLetters };
}

/** Closes every client the apps of this process opened (on Azure: from the appTerminate hook). */
export async function closeAppRuntimes(): Promise<void> {
  const entries = [...sharedClients.values()];
  sharedClients.clear();
  await Promise.all(entries.map((entry) => entry.close()));
}
