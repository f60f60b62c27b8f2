import { randomUUID } from 'node:crypto';
import type { Environment } from '@commandflow/events';
import { CosmosCommandListStore, CosmosEventStore, CosmosUsageStore, connectCosmos, type CosmosSettings } from '@commandflow/cosmos';
import type { EventStore } from '@commandflow/event-store';
import type { DeadLetters, MessageSender } from '@commandflow/messaging';
import { ServiceBusDeadLetters, ServiceBusMessageSender, connectServiceBus, type ServiceBusSettings } from '@commandflow/service-bus';
import type { PriceTable, UsageMeter, UsageStore } from '@commandflow/usage';
import type { CommandCatalogue, CommandListStore, DeliveryPolicy, WorkflowDependencies } from '@commandflow/workflow';
import { appSettingsFromEnv, embeddedStoresOptions, type AppSettings, type Backend } from './appSettings';
import { meteredPorts, usageCosmosMeter, usageMeterOn, usageSettingsFromEnv, type UsageSettings } from './usageMetering';

/** What an app's composition root builds its functions from. */
export interface AppRuntime {
  readonly settings: AppSettings;
  readonly eventStore: EventStore;
  readonly sender: MessageSender;
  readonly listStore: CommandListStore;
  readonly deadLetters: DeadLetters;
  readonly delivery: DeliveryPolicy;
  /** The workflow's ports: the event store and sender above, metered unless the meter is off. */
  readonly workflow: WorkflowDependencies;
  /** Where step invocations' usage records are kept (the cost meter). */
  readonly usage: UsageStore;
  /** Measures step invocations; undefined when COMMANDFLOW_USAGE_METER=off. */
  readonly meter: UsageMeter | undefined;
  /** The price table costs are priced with. */
  readonly prices: PriceTable;
}

/**
 * Reads and validates the settings of `backend`, then builds its adapters: Cosmos DB and Service
 * Bus for `azure`, the embedded SQLite file for `embedded` (loaded only then: better-sqlite3 is
 * native and not part of the apps' Azure bundles). A missing or bad setting throws an error that
 * names it. Clients are shared by every app of the process.
 */
export async function openAppRuntime(env: Environment, backend: Backend, catalogue: CommandCatalogue): Promise<AppRuntime> {
  const settings = appSettingsFromEnv(env, backend);
  const usageSettings = usageSettingsFromEnv(env);
  const adapters = settings.backend === 'azure' ? azureAdapters(settings.cosmos, settings.serviceBus, usageSettings) : await embeddedAdapters(env, usageSettings);
  return {
    settings,
    ...adapters,
    delivery: settings.delivery,
    workflow: { ...meteredPorts(adapters, usageSettings), catalogue, now: () => new Date(), newId: randomUUID },
    prices: usageSettings.prices,
  };
}

type Adapters = Pick<AppRuntime, 'eventStore' | 'sender' | 'listStore' | 'deadLetters' | 'usage' | 'meter'>;

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

/** The embedded SQLite stores and the cost meter, one per file and process; closing flushes the meter first. */
async function embeddedAdapters(env: Environment, usageSettings: UsageSettings): Promise<Adapters> {
  const { openEmbeddedStores, SqliteUsageStore } = await import('@commandflow/sqlite');
  const options = embeddedStoresOptions(env);
  return shared(`sqlite:${options.path}`, () => {
    const stores = openEmbeddedStores(options);
    const { eventStore, queue, listStore } = stores;
    const usage = new SqliteUsageStore(stores.db, { writes: stores.writes });
    const meter = usageMeterOn(usage, usageSettings, randomUUID);
    return {
      client: { eventStore, sender: queue, listStore, deadLetters: queue, usage, meter },
      close: async () => (await meter?.close(), stores.close()),
    };
  });
}

/**
 * One Cosmos DB client (and cost meter) per account and one Service Bus client per namespace, for
 * every app of the process. The event store reports each response's request charge to the meter.
 */
function azureAdapters(cosmos: CosmosSettings, serviceBus: ServiceBusSettings, usageSettings: UsageSettings): Adapters {
  const { eventStore, listStore, usage, meter } = shared(`cosmos:${JSON.stringify(cosmos)}`, () => {
    const connection = connectCosmos(cosmos);
    const usage = new CosmosUsageStore(connection.usage);
    const meter = usageMeterOn(usage, usageSettings, randomUUID);
    const eventStoreOptions = usageSettings.metered ? { meter: usageCosmosMeter } : {};
    return {
      client: { eventStore: new CosmosEventStore(connection.events, eventStoreOptions), listStore: new CosmosCommandListStore(connection.views), usage, meter },
      close: async () => (await meter?.close(), connection.client.dispose()),
    };
  });
  const { sender, deadLetters } = shared(`service-bus:${JSON.stringify(serviceBus)}`, () => {
    const client = connectServiceBus(serviceBus);
    const sender = new ServiceBusMessageSender(client);
    return { client: { sender, deadLetters: new ServiceBusDeadLetters(client) }, close: async () => (await sender.close(), await client.close()) };
  });
  return { eventStore, listStore, sender, deadLetters, usage, meter };
}

/** Closes every client the apps of this process opened (on Azure: from the appTerminate hook). */
export async function closeAppRuntimes(): Promise<void> {
  const entries = [...sharedClients.values()];
  sharedClients.clear();
  await Promise.all(entries.map((entry) => entry.close()));
}
