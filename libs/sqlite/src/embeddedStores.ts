import { resolve } from 'node:path';
import { openCommandflowDatabase, type CommandflowDatabase, type CommandflowDatabaseOptions } from './commandflowDatabase';
import { SqliteCommandListStore } from './sqliteCommandListStore';
import { SqliteEventStore } from './sqliteEventStore';
import { SqliteFeedCheckpoints } from './sqliteFeedCheckpoints';
import { SqliteQueue, type LocalQueueSettings } from './sqliteQueue';

export interface EmbeddedStoresOptions extends Pick<CommandflowDatabaseOptions, 'path' | 'durability'> {
  /** Applied to every queue, over the topology's settings. */
  readonly queue?: Partial<LocalQueueSettings>;
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
export function openEmbeddedStores({ path, durability, queue }: EmbeddedStoresOptions): EmbeddedStores {
  const file = resolve(path);
  const open = openStores.get(file);
  if (open) return open;
  const db = openCommandflowDatabase({ path: file, ...(durability === undefined ? {} : { durability }) });
  const settings = Object.fromEntries(Object.entries(queue ?? {}).filter(([, value]) => value !== undefined));
  const stores: EmbeddedStores = {
    db,
    eventStore: new SqliteEventStore(db),
    queue: new SqliteQueue(db, { settings }),
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
