import { resolve } from 'node:path';
import { queueNames } from '@commandflow/topology';
import {
  SqliteCommandListStore,
  SqliteEventStore,
  SqliteFeedCheckpoints,
  SqliteQueue,
  openCommandflowDatabase,
  type CommandflowDatabase,
} from '@commandflow/sqlite';
import type { RuntimeSettings } from './runtimeSettings';

/** The embedded default: everything in one SQLite file, shared by every part of one process. */
export interface EmbeddedRuntime {
  readonly db: CommandflowDatabase;
  readonly eventStore: SqliteEventStore;
  readonly queue: SqliteQueue;
  readonly listStore: SqliteCommandListStore;
  readonly checkpoints: SqliteFeedCheckpoints;
  close(): void;
}

const openRuntimes = new Map<string, EmbeddedRuntime>();

/** Opens (once per file and process) the SQLite database and the adapters over it. */
export function openEmbeddedRuntime(settings: RuntimeSettings): EmbeddedRuntime {
  const path = resolve(settings.databasePath);
  const open = openRuntimes.get(path);
  if (open) return open;
  const db = openCommandflowDatabase({ path, durability: settings.durability });
  const queueSettings = { maxDeliveryCount: settings.maxDeliveryCount, lockDurationMs: settings.lockDurationMs };
  const runtime: EmbeddedRuntime = {
    db,
    eventStore: new SqliteEventStore(db),
    queue: new SqliteQueue(db, {
      queues: Object.fromEntries(Object.values(queueNames).map((name) => [name, queueSettings])),
    }),
    listStore: new SqliteCommandListStore(db),
    checkpoints: new SqliteFeedCheckpoints(db),
    close() {
      openRuntimes.delete(path);
      db.close();
    },
  };
  openRuntimes.set(path, runtime);
  return runtime;
}
