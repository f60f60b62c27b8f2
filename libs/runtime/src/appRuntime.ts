import { randomUUID } from 'node:crypto';
import { CosmosCommandListStore, CosmosEventStore, connectCosmos, cosmosSettingsFromEnv, type CosmosSettings } from '@commandflow/cosmos';
import type { EventStore } from '@commandflow/event-store';
import { ServiceBusMessageSender, serviceBusSettingsFromEnv, type ServiceBusSettings } from '@commandflow/service-bus';
import type { MessageSender } from '@commandflow/messaging';
import type { CommandCatalogue, CommandListStore, WorkflowDependencies } from '@commandflow/workflow';
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
 * Reads and validates the environment, then builds the adapters: Cosmos DB when its settings are
 * present (COSMOS__accountEndpoint, or COSMOS for an emulator), Service Bus when its are
 * (ServiceBusConnection__fullyQualifiedNamespace, or ServiceBusConnection), and the embedded
 * SQLite file for whatever is not on Azure. A missing or bad setting throws an error that names it.
 */
export async function openAppRuntime(env: Environment, catalogue: CommandCatalogue): Promise<AppRuntime> {
  const settings = runtimeSettingsFromEnv(env);
  const cosmos = cosmosSettingsFromEnv(env);
  const serviceBus = serviceBusSettingsFromEnv(env);
  const { eventStore, listStore } = cosmos ? cosmosStores(cosmos) : await embeddedStores(settings);
  const sender = serviceBus ? serviceBusSender(serviceBus) : (await embeddedStores(settings)).queue;
  return {
    settings,
    eventStore,
    sender,
    listStore,
    workflow: { eventStore, sender, catalogue, now: () => new Date(), newId: randomUUID },
  };
}

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

/**
 * The embedded SQLite stores (one per file and process), loaded only when used: better-sqlite3 is
 * native and is not part of the apps' Azure bundles.
 */
async function embeddedStores(settings: RuntimeSettings) {
  const { openEmbeddedStores } = await import('@commandflow/sqlite');
  return shared(`sqlite:${settings.databasePath}`, () => {
    const stores = openEmbeddedStores({ path: settings.databasePath, ...settings });
    return { client: stores, close: () => stores.close() };
  });
}

/** One Service Bus client per process and namespace. */
const serviceBusSender = (settings: ServiceBusSettings): ServiceBusMessageSender =>
  shared(`service-bus:${JSON.stringify(settings)}`, () => {
    const sender = new ServiceBusMessageSender(settings);
    return { client: sender, close: () => sender.close() };
  });

/** One Cosmos DB client per process and account, shared by every app the process hosts. */
const cosmosStores = (settings: CosmosSettings): { eventStore: CosmosEventStore; listStore: CosmosCommandListStore } =>
  shared(`cosmos:${JSON.stringify(settings)}`, () => {
    const connection = connectCosmos(settings);
    return {
      client: { eventStore: new CosmosEventStore(connection.events), listStore: new CosmosCommandListStore(connection.views) },
      close: () => connection.client.dispose(),
    };
  });

/** Closes every client the apps of this process opened (on Azure: from the appTerminate hook). */
export async function closeAppRuntimes(): Promise<void> {
  const entries = [...sharedClients.values()];
  sharedClients.clear();
  await Promise.all(entries.map((entry) => entry.close()));
}
