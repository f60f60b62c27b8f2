import type { ContainerRequest, CosmosClient, Database, Container, IndexingPolicy } from '@azure/cosmos';
import { containers, eventsContainer, leasesContainer, usageContainer, viewsContainer, type ContainerDefinition } from '@commandflow/topology';

/** The database and its containers, named as the topology defines them. */
export interface CosmosContainers {
  readonly database: Database;
  readonly events: Container;
  readonly views: Container;
  readonly leases: Container;
  readonly usage: Container;
}

/** References to the topology's containers in `database` (no request is made). */
export function cosmosContainers(database: Database): CosmosContainers {
  return {
    database,
    events: database.container(eventsContainer.name),
    views: database.container(viewsContainer.name),
    leases: database.container(leasesContainer.name),
    usage: database.container(usageContainer.name),
  };
}

/** The SDK's request to create a container as the topology defines it. */
export function containerRequest({ name, partitionKeyPath, indexingPolicy }: ContainerDefinition): ContainerRequest {
  return { id: name, partitionKey: { paths: [partitionKeyPath] }, indexingPolicy: structuredClone(indexingPolicy) as IndexingPolicy };
}

/**
 * Creates the database and every container of the topology where they do not exist yet, for
 * emulators, tests and local use. On Azure, infra creates them (a managed identity cannot).
 */
export async function ensureCosmosContainers(client: CosmosClient, databaseName: string): Promise<CosmosContainers> {
  const { database } = await client.databases.createIfNotExists({ id: databaseName });
  await Promise.all(containers.map((definition) => database.containers.createIfNotExists(containerRequest(definition))));
  return cosmosContainers(database);
}
