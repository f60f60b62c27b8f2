import { testEvent } from '@commandflow/event-store/testing';
import type { CommandflowDatabase } from './commandflowDatabase';
import { FeedConsumer, type FeedEvent } from './feedConsumer';
import { SqliteEventStore } from './sqliteEventStore';
import { SqliteFeedCheckpoints } from './sqliteFeedCheckpoints';
import { TemporaryDatabase } from '../testing';

describe('FeedConsumer over SqliteEventStore and SqliteFeedCheckpoints', () => {
  let temporary: TemporaryDatabase;
  let db: CommandflowDatabase;
  let store: SqliteEventStore;
  let checkpoints: SqliteFeedCheckpoints;
  beforeEach(() => {
    temporary = new TemporaryDatabase();
    db = temporary.open();
    store = new SqliteEventStore(db);
    checkpoints = new SqliteFeedCheckpoints(db);
  });
  afterEach(() => temporary.dispose());

  const event = (n: number) => testEvent(n);
  const appendEvents = async (streamId: string, from: number, count: number) => {
    const version = (await store.readStream(streamId)).version;
    await store.appendToStream(
      streamId,
      Array.from({ length: count }, (_, i) => event(from + i)),
      { expectedVersion: version },
    );
  };
  const recorder = (name: string, batchSize?: number) => {
    const seen: number[] = [];
    let failNext = false;
    const consumer = new FeedConsumer({
      name,
      feed: store,
      checkpoints,
      batchSize,
      handle: async (events: readonly FeedEvent[]) => {
        seen.push(...events.map((e) => e.position));
        if (failNext) {
          failNext = false;
          throw new Error('handler failed');
        }
      },
    });
    return { consumer, seen, failOnce: () => (failNext = true) };
  };

  it('starts at checkpoint 0 and saves the last position of each batch it handled', async () => {
    await expect(checkpoints.checkpoint('projector')).resolves.toBe(0);
    await appendEvents('a', 1, 3);
    await appendEvents('b', 4, 2);
    const { consumer, seen } = recorder('projector', 2);
    await expect(consumer.poll()).resolves.toBe(2);
    await expect(checkpoints.checkpoint('projector')).resolves.toBe(2);
    await expect(consumer.poll()).resolves.toBe(2);
    await expect(consumer.poll()).resolves.toBe(1);
    await expect(consumer.poll()).resolves.toBe(0);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    await expect(checkpoints.checkpoint('projector')).resolves.toBe(5);
  });

  it('delivers a batch again after its handler failed (at least once, in order)', async () => {
    await appendEvents('a', 1, 3);
    const { consumer, seen, failOnce } = recorder('projector', 2);
    failOnce();
    await expect(consumer.poll()).rejects.toThrow('handler failed');
    await expect(checkpoints.checkpoint('projector')).resolves.toBe(0);
    await consumer.poll();
    await consumer.poll();
    expect(seen).toEqual([1, 2, 1, 2, 3]);
  });

  it('keeps consumers with different names independent', async () => {
    await appendEvents('a', 1, 3);
    const fast = recorder('fast', 10);
    const slow = recorder('slow', 1);
    await fast.consumer.poll();
    await slow.consumer.poll();
    await appendEvents('a', 4, 1);
    await fast.consumer.poll();
    await slow.consumer.poll();
    expect(fast.seen).toEqual([1, 2, 3, 4]);
    expect(slow.seen).toEqual([1, 2]);
    await expect(checkpoints.checkpoint('fast')).resolves.toBe(4);
    await expect(checkpoints.checkpoint('slow')).resolves.toBe(2);
  });

  it('resumes from the saved checkpoint after the file is closed and reopened', async () => {
    await appendEvents('a', 1, 3);
    await recorder('projector', 2).consumer.poll();
    db.close();

    db = temporary.open();
    store = new SqliteEventStore(db);
    checkpoints = new SqliteFeedCheckpoints(db);
    const resumed = recorder('projector');
    await resumed.consumer.poll();
    expect(resumed.seen).toEqual([3]);
  });

  it('rejects an empty consumer name and a bad position', async () => {
    await expect(checkpoints.checkpoint('')).rejects.toMatchObject({ code: 'invalid_consumer_name' });
    await expect(checkpoints.saveCheckpoint('p', -1)).rejects.toMatchObject({ code: 'invalid_feed_position' });
    await expect(checkpoints.saveCheckpoint('p', 1.5)).rejects.toMatchObject({ code: 'invalid_feed_position' });
  });
});
