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

/**
 * The embedded SQLite stores (one per file and process), loaded only when used: better-sqlite3 is
 * native and is not part of the apps' Azure bundles.
 */
async function embeddedStores(settings: RuntimeSettings) {
  const { openEmbeddedStores } = await import('@commandflow/sqlite');
  return openEmbeddedStores({ path: settings.databasePath, ...settings });
}

const serviceBusSenders = new Map<string, ServiceBusMessageSender>();

/** One Service Bus client per process and namespace; it closes when the process exits. */
function serviceBusSender(settings: ServiceBusSettings): ServiceBusMessageSender {
  const key = JSON.stringify(settings);
  let sender = serviceBusSenders.get(key);
  if (!sender) {
    sender = new ServiceBusMessageSender(settings);
    serviceBusSenders.set(key, sender);
  }
  return sender;
}

const cosmosConnections = new Map<string, { eventStore: CosmosEventStore; listStore: CosmosCommandListStore }>();

/** One Cosmos DB client per process and account, shared by every app the process hosts. */
function cosmosStores(settings: CosmosSettings): { eventStore: CosmosEventStore; listStore: CosmosCommandListStore } {
  const key = JSON.stringify(settings);
  let stores = cosmosConnections.get(key);
  if (!stores) {
    const connection = connectCosmos(settings);
    stores = { eventStore: new CosmosEventStore(connection.events), listStore: new CosmosCommandListStore(connection.views) };
    cosmosConnections.set(key, stores);
  }
  return stores;
}
