import { resolve } from 'node:path';
import { queueNames } from '@commandflow/topology';
import { openCommandflowDatabase, type CommandflowDatabase } from './commandflowDatabase';
import { SqliteCommandListStore } from './sqliteCommandListStore';
import { SqliteEventStore } from './sqliteEventStore';
import { SqliteFeedCheckpoints } from './sqliteFeedCheckpoints';
import { SqliteQueue } from './sqliteQueue';

export interface EmbeddedStoresOptions {
  /** The SQLite file. */
  readonly path: string;
  readonly durability: 'process-crash' | 'power-loss';
  /** Applied to every queue of the topology. */
  readonly maxDeliveryCount: number;
  /** Peek-lock duration of every queue, in ms. */
  readonly lockDurationMs: number;
}

/** The embedded default: every store over one SQLite file, shared by every part of one process. */
export interface EmbeddedStores {
  readonly db: CommandflowDatabase;
  readonly eventStore: SqliteEventStore;
  readonly queue: SqliteQueue;
  readonly listStore: SqliteCommandListStore;
  readonly checkpoints: SqliteFeedCheckpoints;
  /** Closes the database; closing again does nothing. */
  close(): void;
}

const openStores = new Map<string, EmbeddedStores>();

/** Opens (once per file and process) the SQLite database and the stores over it. */
export function openEmbeddedStores({ path, durability, maxDeliveryCount, lockDurationMs }: EmbeddedStoresOptions): EmbeddedStores {
  const file = resolve(path);
  const open = openStores.get(file);
  if (open) return open;
  const db = openCommandflowDatabase({ path: file, durability });
  const queueSettings = { maxDeliveryCount, lockDurationMs };
  const stores: EmbeddedStores = {
    db,
    eventStore: new SqliteEventStore(db),
    queue: new SqliteQueue(db, { queues: Object.fromEntries(Object.values(queueNames).map((name) => [name, queueSettings])) }),
    listStore: new SqliteCommandListStore(db),
    checkpoints: new SqliteFeedCheckpoints(db),
    close() {
      if (openStores.get(file) === stores) openStores.delete(file);
      if (db.open) db.close();
    },
  };
  openStores.set(file, stores);
  return stores;
}
