import type { Container } from '@azure/cosmos';
import { ConcurrencyError } from '@commandflow/events';
import { describeEventStoreContract, testEvent, testEvents } from '@commandflow/event-store/testing';
import { CosmosEventStore } from './cosmosEventStore';
import { InMemoryCosmosMeter } from './cosmosMeter';
import { startCosmosTestServer, type CosmosTestServer } from '../testing';

let server: CosmosTestServer;
let events: Container;

beforeAll(async () => {
  server = await startCosmosTestServer();
  ({ events } = await server.freshDatabase());
});
afterAll(() => server.close());

// The test server's transactional batch is not atomic, so the contract's atomicity case is left to
// real Cosmos DB; cosmosEventStore.spec.ts covers how this adapter maps a failed batch.
describeEventStoreContract('CosmosEventStore', async (options) => ({ store: new CosmosEventStore(events, options) }), {
  atomicMultiEventAppend: false,
});

describe('CosmosEventStore on the test server', () => {
  let streams = 0;
  const newStreamId = () => `cosmos-${Date.now().toString(36)}-${++streams}`;
  const event = (n: number) => testEvent(n);
  const someEvents = (count: number) => testEvents(count);

  it('stores one document per event: id is the zero-padded version, type at the top level', async () => {
    const streamId = newStreamId();
    await new CosmosEventStore(events).appendToStream(streamId, someEvents(2), { expectedVersion: 'no-stream' });
    const { resources } = await events.items
      .query({ query: 'SELECT * FROM c WHERE c.streamId = @s ORDER BY c.version', parameters: [{ name: '@s', value: streamId }] })
      .fetchAll();
    expect(resources).toEqual([
      expect.objectContaining({ id: '0000000001', streamId, version: 1, type: 'Happened', data: { n: 0 }, metadata: event(0).metadata }),
      expect.objectContaining({ id: '0000000002', streamId, version: 2, type: 'Happened', data: { n: 1 } }),
    ]);
  });

  it('reports each request to the meter: a create, a point read and a batch, a query per read', async () => {
    const meter = new InMemoryCosmosMeter();
    const store = new CosmosEventStore(events, { meter });
    const streamId = newStreamId();

    await store.appendToStream(streamId, someEvents(1), { expectedVersion: 'no-stream' });
    expect(meter.counts()).toEqual({ create: 1 });
    await store.appendToStream(streamId, someEvents(3), { expectedVersion: 1 });
    expect(meter.counts()).toEqual({ create: 1, pointRead: 1, batch: 1 });
    await store.readStream(streamId);
    expect(meter.counts()).toEqual({ create: 1, pointRead: 1, batch: 1, query: 1 });
    await store.appendToStream(streamId, someEvents(1), { expectedVersion: 'any' });
    expect(meter.counts()).toEqual({ create: 2, pointRead: 1, batch: 1, query: 2 });

    const totals = meter.totals();
    expect(totals.create).toEqual({ count: 2, requestCharge: 2, bytes: expect.any(Number) });
    expect(totals.batch.bytes).toBeGreaterThan(3 * JSON.stringify(event(0)).length);
    expect(totals.query.bytes).toBeGreaterThan(4 * JSON.stringify(event(0)).length);
  });

  it('reads a long stream in pages of 100, one query each, and a part of it without asking for the version again', async () => {
    const streamId = newStreamId();
    const writer = new CosmosEventStore(events);
    await writer.appendToStream(streamId, someEvents(100), { expectedVersion: 'no-stream' });
    await writer.appendToStream(streamId, someEvents(100), { expectedVersion: 100 });
    await writer.appendToStream(streamId, someEvents(50), { expectedVersion: 200 });
    const meter = new InMemoryCosmosMeter();
    const store = new CosmosEventStore(events, { meter });

    expect((await store.readStream(streamId)).events).toHaveLength(250);
    expect(meter.counts()).toEqual({ query: 3 });
    await expect(store.readStream(streamId, { fromVersion: 240, toVersion: 300 })).resolves.toMatchObject({ version: 250 });
    expect(meter.counts()).toEqual({ query: 4 });
    await expect(store.readStream(streamId, { toVersion: 3 })).resolves.toMatchObject({ version: 250 });
    expect(meter.counts()).toEqual({ query: 6 });
  });

  it('throws ConcurrencyError with the actual version when a batch loses the race for a new stream', async () => {
    const streamId = newStreamId();
    const store = new CosmosEventStore(events);
    await store.appendToStream(streamId, someEvents(3), { expectedVersion: 'no-stream' });
    const lost = store.appendToStream(streamId, someEvents(2), { expectedVersion: 'no-stream' });
    await expect(lost).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(lost).rejects.toMatchObject({ expectedVersion: 'no-stream', actualVersion: 3 });
  });

  it('names the stream when the container is missing, as a permanent error', async () => {
    const missing = server.client.database('no-such-database').container('events');
    const store = new CosmosEventStore(missing);
    const streamId = newStreamId();
    await expect(store.readStream(streamId)).rejects.toMatchObject({
      code: 'cosmos_request_failed',
      retryable: false,
      message: expect.stringContaining(`stream ${streamId}`),
      details: { streamId, statusCode: 404 },
    });
    await expect(store.appendToStream(streamId, someEvents(1), { expectedVersion: 'no-stream' })).rejects.toMatchObject({
      code: 'cosmos_request_failed',
      details: { streamId, statusCode: 404 },
    });
  });
});
