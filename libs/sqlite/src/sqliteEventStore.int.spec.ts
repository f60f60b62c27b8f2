import { ConcurrencyError } from '@commandflow/events';
import { describeEventStoreContract, testEvent } from '@commandflow/event-store/testing';
import { SqliteEventStore } from './sqliteEventStore';
import { TemporaryDatabase, onTemporaryDatabase } from '../testing';

describeEventStoreContract('SqliteEventStore', async (options) => onTemporaryDatabase((db) => new SqliteEventStore(db, options)));

describe('SqliteEventStore feed', () => {
  let temporary: TemporaryDatabase;
  let store: SqliteEventStore;
  beforeEach(() => {
    temporary = new TemporaryDatabase();
    store = new SqliteEventStore(temporary.open());
  });
  afterEach(() => temporary.dispose());

  const event = (type: string) => testEvent(0, { type, data: { type } });

  it('gives every event of every stream in commit order, with gap-free positions from 1', async () => {
    await store.appendToStream('a', [event('A1'), event('A2')], { expectedVersion: 'no-stream' });
    await store.appendToStream('b', [event('B1')], { expectedVersion: 'no-stream' });
    await store.appendToStream('a', [event('A3')], { expectedVersion: 2 });

    const { events, lastPosition } = await store.readFeed(0, 10);
    expect(events.map((e) => [e.position, e.streamId, e.version, e.type])).toEqual([
      [1, 'a', 1, 'A1'],
      [2, 'a', 2, 'A2'],
      [3, 'b', 1, 'B1'],
      [4, 'a', 3, 'A3'],
    ]);
    expect(events[0]).toEqual({ ...event('A1'), streamId: 'a', version: 1, position: 1 });
    expect(lastPosition).toBe(4);
  });

  it('pages after a position and reports the requested position when there is nothing new', async () => {
    await store.appendToStream('a', ['1', '2', '3', '4', '5'].map(event), { expectedVersion: 'no-stream' });
    const first = await store.readFeed(0, 2);
    const second = await store.readFeed(first.lastPosition, 2);
    const third = await store.readFeed(second.lastPosition, 2);
    expect([first, second, third].map((page) => page.events.map((e) => e.position))).toEqual([[1, 2], [3, 4], [5]]);
    await expect(store.readFeed(third.lastPosition, 2)).resolves.toEqual({ events: [], lastPosition: 5 });
  });

  it('leaves no gap in positions after a rejected append', async () => {
    await store.appendToStream('a', [event('A1')], { expectedVersion: 'no-stream' });
    await expect(store.appendToStream('a', [event('Lost'), event('Lost')], { expectedVersion: 0 })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    await store.appendToStream('b', [event('B1')], { expectedVersion: 'no-stream' });
    expect((await store.readFeed(0, 10)).events.map((e) => [e.position, e.type])).toEqual([
      [1, 'A1'],
      [2, 'B1'],
    ]);
  });

  it('sees events appended through another connection to the file', async () => {
    const other = new SqliteEventStore(temporary.open());
    await other.appendToStream('a', [event('Elsewhere')], { expectedVersion: 'no-stream' });
    expect((await store.readFeed(0, 10)).events.map((e) => e.type)).toEqual(['Elsewhere']);
    await expect(store.appendToStream('a', [event('Stale')], { expectedVersion: 'no-stream' })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
  });

  it.each([
    [-1, 10],
    [1.5, 10],
    [0, 0],
  ])('rejects a feed read after %s, max %s', async (afterPosition, max) => {
    await expect(store.readFeed(afterPosition, max)).rejects.toMatchObject({ code: 'invalid_feed_range' });
  });
});
