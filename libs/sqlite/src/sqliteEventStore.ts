import { ValidationError, type EventEnvelope, type NewEvent } from '@commandflow/events';
import {
  assertExpectedVersion,
  assertValidStreamId,
  checkAppend,
  defaultMaxEventBytes,
  versionRange,
  type EventStore,
  type ExpectedVersion,
  type ReadStreamOptions,
  type StreamSlice,
} from '@commandflow/event-store';
import type { CommandflowDatabase } from './commandflowDatabase';
import type { EventFeed, FeedEvent, FeedPage } from './feedConsumer';
import { TransactionPerWrite, type WriteScheduler } from './groupCommit';

export interface SqliteEventStoreOptions {
  /** Largest serialised event, in bytes. Default 256 KiB (`defaultMaxEventBytes`). */
  readonly maxEventBytes?: number;
  /** How appends commit. Default: each in its own transaction. */
  readonly writes?: WriteScheduler;
}

interface EventRow {
  readonly position: number;
  readonly stream_id: string;
  readonly version: number;
  readonly event: string;
}

const toEnvelope = ({ stream_id, version, event }: EventRow): EventEnvelope => ({
  ...(JSON.parse(event) as NewEvent),
  streamId: stream_id,
  version,
});

/**
 * The event store of the embedded default: one row per event in the shared database file.
 * Appends check the expected version and insert atomically under the write lock (one `BEGIN
 * IMMEDIATE` transaction, or a savepoint of a group commit), so they are atomic across processes. Every event also gets a global feed position at insert; since writers
 * are serialised, positions are gap-free and in commit order (the local stand-in for the Cosmos DB
 * change feed).
 */
export class SqliteEventStore implements EventStore, EventFeed {
  private readonly maxEventBytes: number;
  private readonly readSlice: (streamId: string, from: number, to: number) => StreamSlice;
  private readonly append: (streamId: string, serialised: readonly string[], expectedVersion: ExpectedVersion) => number;
  private readonly selectFeed;
  private readonly writes: WriteScheduler;

  constructor(db: CommandflowDatabase, options: SqliteEventStoreOptions = {}) {
    this.maxEventBytes = options.maxEventBytes ?? defaultMaxEventBytes;
    this.writes = options.writes ?? new TransactionPerWrite(db);
    const selectVersion = db
      .prepare<[string], number>('SELECT coalesce(max(version), 0) FROM events WHERE stream_id = ?')
      .pluck();
    const selectRange = db.prepare<[string, number, number], EventRow>(
      'SELECT position, stream_id, version, event FROM events WHERE stream_id = ? AND version BETWEEN ? AND ? ORDER BY version',
    );
    const insert = db.prepare<[string, number, string]>('INSERT INTO events (stream_id, version, event) VALUES (?, ?, ?)');
    this.selectFeed = db.prepare<[number, number], EventRow>(
      'SELECT position, stream_id, version, event FROM events WHERE position > ? ORDER BY position LIMIT ?',
    );
    // A deferred (read-only) transaction: the version and the events come from one snapshot.
    const readBoundedSlice = db.transaction((streamId: string, from: number, to: number) => ({
      events: selectRange.all(streamId, from, to).map(toEnvelope),
      version: selectVersion.get(streamId) ?? 0,
    }));
    this.readSlice = (streamId, from, to) => {
      if (to !== Number.MAX_SAFE_INTEGER) return readBoundedSlice(streamId, from, to);
      // Read to the end, one statement is one snapshot: the last event's version is the stream's.
      const rows = selectRange.all(streamId, from, to);
      const last = rows.at(-1);
      if (last === undefined && from > 1) return readBoundedSlice(streamId, from, to);
      return { events: rows.map(toEnvelope), version: last?.version ?? 0 };
    };
    this.append = (streamId: string, serialised: readonly string[], expectedVersion: ExpectedVersion) => {
      const current = selectVersion.get(streamId) ?? 0;
      assertExpectedVersion(streamId, expectedVersion, current);
      serialised.forEach((json, index) => insert.run(streamId, current + index + 1, json));
      return current + serialised.length;
    };
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StreamSlice> {
    assertValidStreamId(streamId);
    const { from, to } = versionRange(options);
    return this.readSlice(streamId, from, to);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    { expectedVersion }: { readonly expectedVersion: ExpectedVersion },
  ): Promise<number> {
    const serialised = checkAppend(streamId, events, expectedVersion, this.maxEventBytes);
    return this.writes.write(() => this.append(streamId, serialised, expectedVersion));
  }

  /** Up to `max` events with a position greater than `afterPosition` (0 for the start), in commit order. */
  async readFeed(afterPosition: number, max: number): Promise<FeedPage> {
    if (!Number.isInteger(afterPosition) || afterPosition < 0 || !Number.isInteger(max) || max < 1) {
      throw new ValidationError('invalid_feed_range', `Invalid feed read: afterPosition ${afterPosition}, max ${max}`, {
        afterPosition,
        max,
      });
    }
    const events = this.selectFeed.all(afterPosition, max).map((row): FeedEvent => ({ ...toEnvelope(row), position: row.position }));
    return { events, lastPosition: events.at(-1)?.position ?? afterPosition };
  }
}
