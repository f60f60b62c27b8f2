import * as cosmosdb from '@pulumi/azure-native/cosmosdb';
import { containers, databaseName, type ContainerDefinition } from '@commandflow/topology';
import type { CosmosMode, Placement } from './config';

export interface CosmosArgs extends Placement {
  /** Cosmos DB needs its region spelled out (it does not inherit the resource group's). */
  readonly location: string;
  readonly mode: CosmosMode;
  /** Autoscale maximum RU/s of the database, used in `provisioned` mode only. */
  readonly maxThroughput: number;
}

export interface Cosmos {
  readonly account: cosmosdb.DatabaseAccount;
  readonly database: cosmosdb.SqlResourceSqlDatabase;
  /** The containers of `@commandflow/topology`, by name. */
  readonly containers: Readonly<Record<string, cosmosdb.SqlResourceSqlContainer>>;
}

/**
 * The Cosmos DB for NoSQL account (keys disabled: Entra ID data-plane roles only), the database
 * and the events / views / leases / usage containers. The leases container is created here because a
 * managed identity cannot create containers through the data plane.
 */
export function createCosmos({ namePrefix, resourceGroupName, location, mode, maxThroughput }: CosmosArgs): Cosmos {
  const account = new cosmosdb.DatabaseAccount(`${namePrefix}-cosmos`, {
    resourceGroupName,
    kind: 'GlobalDocumentDB',
    databaseAccountOfferType: 'Standard',
    locations: [{ locationName: location, failoverPriority: 0 }],
    consistencyPolicy: { defaultConsistencyLevel: 'Session' },
    capabilities: mode === 'serverless' ? [{ name: 'EnableServerless' }] : [],
    disableLocalAuth: true,
    disableKeyBasedMetadataWriteAccess: true,
    minimalTlsVersion: 'Tls12',
  });
  const database = new cosmosdb.SqlResourceSqlDatabase(`${namePrefix}-${databaseName}`, {
    resourceGroupName,
    accountName: account.name,
    databaseName,
    resource: { id: databaseName },
    // Serverless accounts reject throughput settings; provisioned ones share autoscale RU/s across containers.
    options: mode === 'provisioned' ? { autoscaleSettings: { maxThroughput } } : undefined,
  });
  const sqlContainers = Object.fromEntries(
    containers.map((definition) => [
      definition.name,
      new cosmosdb.SqlResourceSqlContainer(`${namePrefix}-${definition.name}`, {
        resourceGroupName,
        accountName: account.name,
        databaseName: database.name,
        containerName: definition.name,
        resource: containerResource(definition),
      }),
    ]),
  );
  return { account, database, containers: sqlContainers };
}

function containerResource({ name, partitionKeyPath, indexingPolicy }: ContainerDefinition): cosmosdb.SqlResourceSqlContainerArgs['resource'] {
  return {
    id: name,
    partitionKey: { paths: [partitionKeyPath], kind: 'Hash' },
    indexingPolicy: {
      indexingMode: indexingPolicy.indexingMode,
      automatic: indexingPolicy.automatic,
      includedPaths: indexingPolicy.includedPaths.map(({ path }) => ({ path })),
      excludedPaths: indexingPolicy.excludedPaths.map(({ path }) => ({ path })),
      compositeIndexes: indexingPolicy.compositeIndexes?.map((index) => index.map(({ path, order }) => ({ path, order }))),
    },
  };
}
