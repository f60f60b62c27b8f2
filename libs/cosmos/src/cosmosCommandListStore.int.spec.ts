import { commandListItem, describeCommandListStoreContract } from '@commandflow/workflow/testing';
import { CosmosCommandListStore } from './cosmosCommandListStore';
import { InMemoryCosmosMeter } from './cosmosMeter';
import { startCosmosTestServer, type CosmosTestServer } from '../testing';

let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(() => server.close());

// A database of its own per test, so that every list sees only its own documents.
describeCommandListStoreContract('CosmosCommandListStore', async () => ({ store: new CosmosCommandListStore((await server.freshDatabase()).views) }));

describe('CosmosCommandListStore', () => {
  it('reports a point read per get, a create or replace per save, a query per page', async () => {
    const meter = new InMemoryCosmosMeter();
    const store = new CosmosCommandListStore((await server.freshDatabase()).views, { meter });
    const created = commandListItem('2026-03-01T00:00:00.000Z');
    await store.save(created, undefined);
    const { etag } = (await store.get(created.id))!;
    await store.save({ ...created, version: 3 }, etag);
    await store.list({ limit: 10 });
    expect(meter.counts()).toEqual({ create: 1, pointRead: 1, replace: 1, query: 1 });
    expect(meter.totals().create.bytes).toBe(Buffer.byteLength(JSON.stringify(created)));
  });
});
