import { resolve } from 'node:path';
import { openCommandflowDatabase, type CommandflowDatabase, type CommandflowDatabaseOptions } from './commandflowDatabase';
import { GroupCommit } from './groupCommit';
import { SqliteCommandListStore } from './sqliteCommandListStore';
import { SqliteEventStore } from './sqliteEventStore';
import { SqliteFeedCheckpoints } from './sqliteFeedCheckpoints';
import { SqliteQueue, type LocalQueueSettings } from './sqliteQueue';
import { startWalCheckpointer } from './walCheckpointer';

export interface EmbeddedStoresOptions extends Pick<CommandflowDatabaseOptions, 'path' | 'durability'> {
  /** Applied to every queue, over the topology's settings. */
  readonly queue?: Partial<LocalQueueSettings>;
}

/**
 * The embedded default: every store over one SQLite file, shared by every part of one process.
 * Their writes share transactions (group commit): what the process writes in one turn of its
 * event loop commits at once. WAL checkpoints run in a worker thread, off the event loop.
 */
export interface EmbeddedStores {
  readonly db: CommandflowDatabase;
  readonly writes: GroupCommit;
  readonly eventStore: SqliteEventStore;
  readonly queue: SqliteQueue;
  readonly listStore: SqliteCommandListStore;
  readonly checkpoints: SqliteFeedCheckpoints;
  /** Commits pending writes and closes the database; closing again does nothing. */
  close(): void;
}

const openStores = new Map<string, EmbeddedStores>();

/** Opens (once per file and process) the SQLite database and the stores over it. */
export function openEmbeddedStores({ path, durability, queue }: EmbeddedStoresOptions): EmbeddedStores {
  const file = resolve(path);
  const open = openStores.get(file);
  if (open) return open;
  const db = openCommandflowDatabase({ path: file, ...(durability === undefined ? {} : { durability }) });
  const settings = Object.fromEntries(Object.entries(queue ?? {}).filter(([, value]) => value !== undefined));
  const writes = new GroupCommit(db);
  const checkpointer = startWalCheckpointer(db);
  const stores: EmbeddedStores = {
    db,
    writes,
    eventStore: new SqliteEventStore(db, { writes }),
    queue: new SqliteQueue(db, { settings, writes }),
    listStore: new SqliteCommandListStore(db, { writes }),
    checkpoints: new SqliteFeedCheckpoints(db, { writes }),
    close() {
      if (openStores.get(file) === stores) openStores.delete(file);
      if (db.open) {
        writes.flush();
        void checkpointer.stop();
        db.close();
      }
    },
  };
  openStores.set(file, stores);
  return stores;
}
