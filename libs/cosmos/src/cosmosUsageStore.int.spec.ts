import { describeUsageStoreContract } from '@commandflow/usage/testing';
import { CosmosUsageStore } from './cosmosUsageStore';
import { startCosmosTestServer, type CosmosTestServer } from '../testing';

let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(() => server.close());

describeUsageStoreContract('CosmosUsageStore', async () => ({ store: new CosmosUsageStore((await server.freshDatabase()).usage) }));
