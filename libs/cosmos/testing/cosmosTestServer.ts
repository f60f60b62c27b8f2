import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { CosmosClient } from '@azure/cosmos';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connectCosmos } from '../src/cosmosConnection';
import { ensureCosmosContainers, type CosmosContainers } from '../src/cosmosContainers';

/** The Cosmos DB emulator's published, well-known key (the test server accepts it like any other). */
export const emulatorKey = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/**
 * An in-process Cosmos DB test server (@vercel/cosmosdb-server) on 127.0.0.1 and a client of it.
 * Test code only: its agent accepts the server's self-signed certificate. Its transactional batch
 * is not atomic and its change feed is broken; every response's request charge is 1.
 */
export interface CosmosTestServer {
  /** `https://127.0.0.1:<port>/` */
  readonly endpoint: string;
  /** Pass to `connectCosmos` for any other client of this server. */
  readonly agent: Agent;
  readonly client: CosmosClient;
  /** A new database of its own with every container of the topology. */
  freshDatabase(): Promise<CosmosContainers>;
  /**
   * Requests on documents answered so far (point reads, creates, batches, query pages), each
   * charged 1 request unit; the SDK's query-plan requests, which read no document, are left out.
   */
  documentRequests(): number;
  close(): Promise<void>;
}

export async function startCosmosTestServer(): Promise<CosmosTestServer> {
  const server = createHttpsServer();
  let documentRequests = 0;
  server.prependListener('request', (request) => {
    const queryPlan = String(request.headers['x-ms-cosmos-is-query-plan-request']).toLowerCase() === 'true';
    if (/\/docs(\/|\?|$)/.test(request.url ?? '') && !queryPlan) documentRequests += 1;
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const agent = new Agent({ rejectUnauthorized: false, keepAlive: true });
  const { client } = connectCosmos({ endpoint, key: emulatorKey, databaseName: 'test' }, { agent });
  let databases = 0;
  return {
    endpoint,
    agent,
    client,
    freshDatabase: () => ensureCosmosContainers(client, `test-${++databases}`),
    documentRequests: () => documentRequests,
    async close() {
      client.dispose();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
