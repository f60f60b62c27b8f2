import { ConcurrencyError, ValidationError } from '@commandflow/events';
import type { EventStore } from '../src';
import { testEvent, testEvents } from './testEvent';

export interface EventStoreFixture {
  readonly store: EventStore;
  dispose?(): Promise<void> | void;
}

export interface EventStoreCapabilities {
  /**
   * Whether a multi-event append is atomic under a concurrent writer. Every production adapter
   * must be; only test servers that fake transactions (the Cosmos DB emulator's batch) opt out.
   */
  readonly atomicMultiEventAppend: boolean;
}

/**
 * The behaviour every EventStore adapter must have. Call it from the adapter's spec file:
 * `describeEventStoreContract('SqliteEventStore', async (options) => ({ store: ..., dispose }))`.
 */
export function describeEventStoreContract(
  adapterName: string,
  createFixture: (options: { readonly maxEventBytes?: number }) => Promise<EventStoreFixture>,
  capabilities: EventStoreCapabilities = { atomicMultiEventAppend: true },
): void {
  describe(`${adapterName} (event-store contract)`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    let streamCounter = 0;
    const newStreamId = () => `contract-${Date.now().toString(36)}-${++streamCounter}`;

    beforeEach(async () => {
      fixture = await createFixture({});
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    const event = (type: string, data: unknown = {}, n = 0) => testEvent(n, { type, data });
    const events = (count: number, type = 'Happened') => testEvents(count, 0, type);

    it('reads a stream that does not exist as empty, at version 0', async () => {
      await expect(store.readStream(newStreamId())).resolves.toEqual({ events: [], version: 0 });
    });

    it('appends to a new stream and reads every envelope back in order, versions 1..n', async () => {
      const streamId = newStreamId();
      const written = events(3);
      await expect(store.appendToStream(streamId, written, { expectedVersion: 'no-stream' })).resolves.toBe(3);
      const { events: read, version } = await store.readStream(streamId);
      expect(version).toBe(3);
      expect(read).toEqual(written.map((e, i) => ({ ...e, streamId, version: i + 1 })));
    });

    it('continues versions across appends and keeps streams apart', async () => {
      const [a, b] = [newStreamId(), newStreamId()];
      await store.appendToStream(a, events(2), { expectedVersion: 'no-stream' });
      await store.appendToStream(b, events(1), { expectedVersion: 'no-stream' });
      await expect(store.appendToStream(a, events(2), { expectedVersion: 2 })).resolves.toBe(4);
      expect((await store.readStream(a)).events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
      expect((await store.readStream(b)).version).toBe(1);
    });

    it('reads ranges with fromVersion and toVersion, always reporting the stream version', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, events(10), { expectedVersion: 'no-stream' });
      const versions = async (fromVersion?: number, toVersion?: number) => {
        const slice = await store.readStream(streamId, { fromVersion, toVersion });
        expect(slice.version).toBe(10);
        return slice.events.map((e) => e.version);
      };
      await expect(versions(4)).resolves.toEqual([4, 5, 6, 7, 8, 9, 10]);
      await expect(versions(undefined, 3)).resolves.toEqual([1, 2, 3]);
      await expect(versions(5, 6)).resolves.toEqual([5, 6]);
      await expect(versions(11)).resolves.toEqual([]);
      await expect(versions(7, 6)).resolves.toEqual([]);
    });

    it('appends at the expected version, and throws ConcurrencyError with both versions otherwise', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, events(2), { expectedVersion: 'no-stream' });
      const stale = store.appendToStream(streamId, events(1), { expectedVersion: 1 });
      await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(stale).rejects.toMatchObject({ streamId, expectedVersion: 1, actualVersion: 2, retryable: true });
      await expect(store.appendToStream(streamId, events(1), { expectedVersion: 2 })).resolves.toBe(3);
      await expect(store.appendToStream(newStreamId(), events(1), { expectedVersion: 1 })).rejects.toMatchObject({
        expectedVersion: 1,
        actualVersion: 0,
      });
      expect((await store.readStream(streamId)).version).toBe(3);
    });

    it("rejects 'no-stream' on an existing stream and accepts 'any' anywhere", async () => {
      const streamId = newStreamId();
      await expect(store.appendToStream(streamId, events(1), { expectedVersion: 'any' })).resolves.toBe(1);
      await expect(store.appendToStream(streamId, events(1), { expectedVersion: 'no-stream' })).rejects.toMatchObject({
        expectedVersion: 'no-stream',
        actualVersion: 1,
      });
      await expect(store.appendToStream(streamId, events(2), { expectedVersion: 'any' })).resolves.toBe(3);
    });

    it('lets exactly one of N concurrent appenders at one expected version win', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, events(1), { expectedVersion: 'no-stream' });
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, (_, n) => store.appendToStream(streamId, [event('Raced', { n })], { expectedVersion: 1 })),
      );
      const won = attempts.filter((a) => a.status === 'fulfilled');
      const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(7);
      for (const { reason } of lost) expect(reason).toBeInstanceOf(ConcurrencyError);
      expect((await store.readStream(streamId)).events.map((e) => e.type)).toEqual(['Happened', 'Raced']);
    });

    it('lets exactly one of N concurrent creators of a new stream win', async () => {
      const streamId = newStreamId();
      const attempts = await Promise.allSettled(
        Array.from({ length: 5 }, () => store.appendToStream(streamId, events(2), { expectedVersion: 'no-stream' })),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      expect((await store.readStream(streamId)).version).toBe(2);
    });

    (capabilities.atomicMultiEventAppend ? it : it.skip)(
      'never interleaves a multi-event append with a concurrent writer: all of it or none',
      async () => {
        for (let round = 0; round < 5; round++) {
          const streamId = newStreamId();
          await store.appendToStream(streamId, events(2), { expectedVersion: 'no-stream' });
          await Promise.allSettled([
            store.appendToStream(streamId, events(3, 'Batch'), { expectedVersion: 2 }),
            store.appendToStream(streamId, events(1, 'Single'), { expectedVersion: 2 }),
          ]);
          const types = (await store.readStream(streamId)).events.map((e) => e.type);
          expect([
            ['Happened', 'Happened', 'Batch', 'Batch', 'Batch'],
            ['Happened', 'Happened', 'Single'],
          ]).toContainEqual(types);
        }
      },
    );

    it('writes nothing of a multi-event append that holds one bad event', async () => {
      const limited = await createFixture({ maxEventBytes: 1024 });
      try {
        const streamId = newStreamId();
        const tooLarge = event('Huge', { blob: 'x'.repeat(2048) });
        await expect(
          limited.store.appendToStream(streamId, [...events(2), tooLarge], { expectedVersion: 'no-stream' }),
        ).rejects.toMatchObject({ code: 'event_too_large' });
        expect(await limited.store.readStream(streamId)).toEqual({ events: [], version: 0 });
      } finally {
        await limited.dispose?.();
      }
    });

    it('rejects an empty append with a clear error and writes nothing', async () => {
      const streamId = newStreamId();
      const empty = store.appendToStream(streamId, [], { expectedVersion: 'any' });
      await expect(empty).rejects.toBeInstanceOf(ValidationError);
      await expect(empty).rejects.toMatchObject({ code: 'empty_append', message: expect.stringContaining(streamId) });
      expect((await store.readStream(streamId)).version).toBe(0);
    });

    it('rejects an event over the configured size (default 256 KiB) and accepts one just under it', async () => {
      const streamId = newStreamId();
      const justUnder = event('Big', { blob: 'y'.repeat(250 * 1024) });
      await expect(store.appendToStream(streamId, [justUnder], { expectedVersion: 'no-stream' })).resolves.toBe(1);
      const over = event('Bigger', { blob: 'y'.repeat(257 * 1024) });
      await expect(store.appendToStream(streamId, [over], { expectedVersion: 1 })).rejects.toMatchObject({
        code: 'event_too_large',
        message: expect.stringMatching(/Bigger.*limit is 262144/),
      });
      expect((await store.readStream(streamId)).events.map((e) => e.type)).toEqual(['Big']);
    });

    it.each([
      ['empty', ''],
      ['with a space', 'has space'],
      ['with a slash', 'slash/inside'],
      ['with a leading dash', '-leading-dash'],
      ['of 201 characters', 'x'.repeat(201)],
    ])('rejects a stream id %s on read and append', async (_label, badId) => {
        await expect(store.readStream(badId)).rejects.toMatchObject({ code: 'invalid_stream_id' });
        await expect(store.appendToStream(badId, events(1), { expectedVersion: 'any' })).rejects.toMatchObject({
          code: 'invalid_stream_id',
        });
    });

    it('round-trips unicode and large payloads exactly', async () => {
      const streamId = newStreamId();
      const data = {
        text: 'Ünïcödé ✓ 日本語 עברית 🏆🎉 \u0000 "quoted" \\ back\nslash',
        nested: { list: [1, 2.5, -3, true, null, 'ß'], empty: {} },
        large: 'z'.repeat(200 * 1024),
      };
      await store.appendToStream(streamId, [event('Unicode', data)], { expectedVersion: 'no-stream' });
      const [read] = (await store.readStream(streamId)).events;
      expect(read?.data).toEqual(data);
    });

    it('reads long streams completely (paging inside the adapter)', async () => {
      const streamId = newStreamId();
      for (let batch = 0; batch < 3; batch++) {
        await store.appendToStream(streamId, events(100), { expectedVersion: batch === 0 ? 'no-stream' : batch * 100 });
      }
      const { events: read, version } = await store.readStream(streamId);
      expect(version).toBe(300);
      expect(read.map((e) => e.version)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    });
  });
}
