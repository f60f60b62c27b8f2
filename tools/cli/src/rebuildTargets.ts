import { CosmosCommandListStore, CosmosEventStore, connectCosmos, replayCosmosEvents } from '@commandflow/cosmos';
import { embeddedStoresOptions, settingNames } from '@commandflow/runtime';
import { openEmbeddedStores, replayFeed } from '@commandflow/sqlite';
import type { CommandListProjection, EventReplay } from '@commandflow/workflow';
import { CliError } from './cliError';

/** Where `projections rebuild` reads events and writes the command list. */
export interface RebuildTarget {
  readonly name: string;
  readonly projection: CommandListProjection;
  replay(batchSize: number): EventReplay;
  close(): Promise<void>;
}

/** The Cosmos DB account when an endpoint is given (DefaultAzureCredential), else the local SQLite file. */
export function rebuildTarget(options: { database?: string; cosmosEndpoint?: string; cosmosDatabase: string }): RebuildTarget {
  if (options.cosmosEndpoint) {
    if (!URL.canParse(options.cosmosEndpoint) || new URL(options.cosmosEndpoint).protocol !== 'https:') {
      throw new CliError('--cosmos-endpoint must be an https URL such as https://<account>.documents.azure.com:443/', 2);
    }
    const connection = connectCosmos({ endpoint: options.cosmosEndpoint, credential: 'identity', databaseName: options.cosmosDatabase });
    return {
      name: `Cosmos DB ${options.cosmosEndpoint} (${options.cosmosDatabase})`,
      projection: { listStore: new CosmosCommandListStore(connection.views), eventStore: new CosmosEventStore(connection.events) },
      replay: (batchSize) => replayCosmosEvents(connection.events, { batchSize }),
      close: async () => connection.client.dispose(),
    };
  }
  const env = { ...process.env, ...(options.database ? { [settingNames.databasePath]: options.database } : {}) };
  const storesOptions = embeddedStoresOptions(env);
  const stores = openEmbeddedStores(storesOptions);
  return {
    name: `local file ${storesOptions.path}`,
    projection: { listStore: stores.listStore, eventStore: stores.eventStore },
    replay: (batchSize) => replayFeed(stores.eventStore, { batchSize }),
    close: async () => stores.close(),
  };
}
