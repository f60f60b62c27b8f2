import { IllegalStateError } from '@commandflow/events';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The one SQLite connection of a process, shared by the event store, the queue and the feed. */
export type CommandflowDatabase = Database.Database;

export interface CommandflowDatabaseOptions {
  /** The database file, relative to the working directory; its folder is created. */
  readonly path: string;
  /**
   * `process-crash` (default): synchronous=NORMAL; a commit survives kill -9 of any process, the
   * last commits may be lost if the machine loses power. `power-loss`: synchronous=FULL, an fsync per commit.
   */
  readonly durability?: 'process-crash' | 'power-loss';
  /** How long a write waits for another process's write lock before failing with SQLITE_BUSY, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
}

/**
 * The schema, one entry per version (`PRAGMA user_version`). Append new versions; never edit a
 * released one. Events and queue messages are keyed by an integer rowid assigned at insert, so
 * positions and sequence numbers follow commit order.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE events (
    position INTEGER PRIMARY KEY,
    stream_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    event TEXT NOT NULL,
    UNIQUE (stream_id, version)
  );

  CREATE TABLE feed_checkpoints (
    consumer TEXT PRIMARY KEY,
    position INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE queue_messages (
    sequence_number INTEGER PRIMARY KEY,
    queue TEXT NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    subject TEXT,
    correlation_id TEXT,
    properties TEXT,
    enqueued_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'locked', 'dead-lettered')),
    visible_at INTEGER NOT NULL,
    delivery_count INTEGER NOT NULL DEFAULT 0,
    lock_token TEXT,
    dead_letter_reason TEXT,
    dead_letter_description TEXT,
    dead_lettered_at INTEGER
  );
  CREATE INDEX queue_messages_receive ON queue_messages (queue, state, visible_at, sequence_number);
  CREATE UNIQUE INDEX queue_messages_lock_token ON queue_messages (lock_token) WHERE lock_token IS NOT NULL;

  CREATE TABLE queue_duplicates (
    queue TEXT NOT NULL,
    message_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (queue, message_id)
  ) WITHOUT ROWID;
  CREATE INDEX queue_duplicates_expiry ON queue_duplicates (expires_at);

  CREATE TABLE command_list (
    command_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    command_type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revision INTEGER NOT NULL,
    document TEXT NOT NULL
  );
  CREATE INDEX command_list_newest ON command_list (created_at DESC, command_id DESC);
  CREATE INDEX command_list_by_status ON command_list (status, created_at DESC, command_id DESC);
  CREATE INDEX command_list_by_type ON command_list (command_type, created_at DESC, command_id DESC);
  `,
  // Version 2: which process holds a message's lock, so that its supervisor can release the locks of a process that died.
  `
  ALTER TABLE queue_messages ADD COLUMN locked_by INTEGER;
  `,
  // Version 3: the command list by last change, for the sweeper: every document, and the unfinished ones alone.
  `
  ALTER TABLE command_list ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
  UPDATE command_list SET updated_at = json_extract(document, '$.updatedAt');
  CREATE INDEX command_list_by_change ON command_list (updated_at, command_id);
  CREATE INDEX command_list_unfinished_by_change ON command_list (updated_at, command_id) WHERE status IN ('Created', 'Validated');
  `,
  // Version 4: what each step invocation used (the cost meter): the record as JSON, by invocation id, indexed by command.
  `
  CREATE TABLE IF NOT EXISTS step_usage (
    invocation_id TEXT PRIMARY KEY,
    command_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS step_usage_by_command ON step_usage (command_id, started_at, invocation_id);
  `,
];

/**
 * Opens (creating if needed) the commandflow database in WAL mode and brings its schema up to
 * date. Several processes may open the same file at once; every adapter writes in `BEGIN
 * IMMEDIATE` transactions, so writers queue on the lock (up to `busyTimeoutMs`) instead of failing
 * mid-transaction. Close it with `db.close()`.
 */
export function openCommandflowDatabase({ path, durability = 'process-crash', busyTimeoutMs = 5000 }: CommandflowDatabaseOptions): CommandflowDatabase {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability === 'power-loss' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: CommandflowDatabase, file: string): void {
  const schemaVersion = () => db.pragma('user_version', { simple: true }) as number;
  if (schemaVersion() === migrations.length) return;
  db.transaction(() => {
    // Re-read under the write lock: another process may have migrated meanwhile.
    const current = schemaVersion();
    if (current > migrations.length) {
      throw new IllegalStateError(
        'database_schema_too_new',
        `${file} has schema version ${current}; this code knows versions up to ${migrations.length}. Upgrade commandflow.`,
        false,
        { file, schemaVersion: current },
      );
    }
    for (const migration of migrations.slice(current)) db.exec(migration);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
