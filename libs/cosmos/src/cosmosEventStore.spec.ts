import type { Container, OperationResponse } from '@azure/cosmos';
import { ConcurrencyError } from '@commandflow/events';
import { testEvent, testEvents } from '@commandflow/event-store/testing';
import { CosmosEventStore } from './cosmosEventStore';
import { InMemoryCosmosMeter } from './cosmosMeter';

const event = (n: number, data: unknown = { n }) => testEvent(n, { data });
const someEvents = (count: number) => testEvents(count);

/**
 * A stand-in for a container on real Cosmos DB, whose failed transactional batch is atomic and
 * answered as it answers one: HTTP 207, the failing operation's status, 424 for the others.
 * Document n exists for n <= `version`; the last-version query answers `version`.
 */
function containerAt(version: number, batchResult: readonly OperationResponse[]): Container {
  const charged = (requestCharge: number) => ({ 'x-ms-request-charge': String(requestCharge) });
  return {
    id: 'events',
    item: (id: string) => ({
      read: async () => ({ statusCode: Number(id) <= version ? 200 : 404, resource: undefined, headers: charged(1) }),
    }),
    items: {
      query: () => {
        let fetched = false;
        return {
          hasMoreResults: () => !fetched,
          fetchNext: async () => ((fetched = true), { resources: [version], requestCharge: 2.8 }),
        };
      },
      batch: async () => ({ code: 207, headers: charged(5.7), result: batchResult }),
      create: async () => {
        throw Object.assign(new Error('Entity with the specified id already exists in the system.'), {
          code: 409,
          headers: charged(1.3),
        });
      },
    },
  } as unknown as Container;
}

describe('CosmosEventStore against responses shaped like real Cosmos DB', () => {
  it('maps a failed transactional batch shaped like real Cosmos DB (one 409, the rest 424) to ConcurrencyError', async () => {
    const meter = new InMemoryCosmosMeter();
    const store = new CosmosEventStore(
      containerAt(4, [
        { statusCode: 409, requestCharge: 5.7 },
        { statusCode: 424, requestCharge: 0 },
        { statusCode: 424, requestCharge: 0 },
      ]),
      { meter },
    );
    // Version 2 exists, so the append goes ahead; its create of version 3 meets the 409.
    const append = store.appendToStream('command-1', someEvents(3), { expectedVersion: 2 });
    await expect(append).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(append).rejects.toMatchObject({ streamId: 'command-1', expectedVersion: 2, actualVersion: 4 });
    expect(meter.totals()).toMatchObject({
      pointRead: { count: 1, requestCharge: 1 },
      batch: { count: 1, requestCharge: 5.7 },
      query: { count: 1, requestCharge: 2.8 },
    });
  });

  it('maps a 409 on a single-event create to ConcurrencyError, charging the failed create', async () => {
    const meter = new InMemoryCosmosMeter();
    const append = new CosmosEventStore(containerAt(1, []), { meter }).appendToStream('command-1', someEvents(1), {
      expectedVersion: 'no-stream',
    });
    await expect(append).rejects.toMatchObject({ code: 'concurrency_conflict', expectedVersion: 'no-stream', actualVersion: 1 });
    expect(meter.totals().create).toEqual({ count: 1, requestCharge: 1.3, bytes: expect.any(Number) });
  });

  it('wraps a failed transactional batch shaped like real Cosmos DB (one 413, the rest 424) as a permanent error naming the stream', async () => {
    const store = new CosmosEventStore(
      containerAt(0, [
        { statusCode: 424, requestCharge: 0 },
        { statusCode: 413, requestCharge: 1 },
      ]),
    );
    await expect(store.appendToStream('command-2', someEvents(2), { expectedVersion: 'no-stream' })).rejects.toMatchObject({
      code: 'cosmos_request_failed',
      retryable: false,
      message: 'Cosmos DB request for stream command-2 failed (status 413): Transactional batch rolled back: operation 2 of 2 failed',
      details: { streamId: 'command-2', statusCode: 413 },
    });
  });

  it('surfaces a read still throttled (429) after the SDK retries as a transient error naming the stream', async () => {
    const throttled = {
      id: 'events',
      items: {
        query: () => ({
          hasMoreResults: () => true,
          fetchNext: async () => {
            throw Object.assign(new Error('Request rate is large'), { code: 429, headers: { 'x-ms-request-charge': '0' } });
          },
        }),
      },
    } as unknown as Container;
    await expect(new CosmosEventStore(throttled).readStream('command-3')).rejects.toMatchObject({
      code: 'cosmos_request_failed',
      retryable: true,
      message: expect.stringMatching(/stream command-3.*429.*Request rate is large/),
    });
  });

  it('rejects more than 100 events, or more than 2 MiB, as append_too_large before any request', async () => {
    const untouchable = new Proxy({} as Container, {
      get: () => {
        throw new Error('no request expected');
      },
    });
    const store = new CosmosEventStore(untouchable);
    await expect(store.appendToStream('command-4', someEvents(101), { expectedVersion: 'any' })).rejects.toMatchObject({
      code: 'append_too_large',
      message: expect.stringContaining('command-4'),
    });
    const large = Array.from({ length: 9 }, (_, n) => event(n, 'x'.repeat(250 * 1024)));
    await expect(store.appendToStream('command-4', large, { expectedVersion: 'any' })).rejects.toMatchObject({
      code: 'append_too_large',
    });
  });
});
