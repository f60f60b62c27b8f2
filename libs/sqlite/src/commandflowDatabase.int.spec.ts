import { IllegalStateError } from '@commandflow/events';
import { testEvent } from '@commandflow/event-store/testing';
import { commandListItem } from '@commandflow/workflow/testing';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCommandflowDatabase } from './commandflowDatabase';
import { SqliteCommandListStore } from './sqliteCommandListStore';
import { SqliteEventStore } from './sqliteEventStore';
import { TemporaryDatabase } from '../testing';

describe('openCommandflowDatabase', () => {
  let temporary: TemporaryDatabase;
  beforeEach(() => {
    temporary = new TemporaryDatabase();
  });
  afterEach(() => temporary.dispose());

  const pragma = (db: ReturnType<typeof openCommandflowDatabase>, name: string) => db.pragma(name, { simple: true });

  it('creates the folder and the file, in WAL mode, with the schema at the current version', () => {
    const db = temporary.open();
    expect(existsSync(temporary.path)).toBe(true);
    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'synchronous')).toBe(1); // NORMAL
    expect(pragma(db, 'busy_timeout')).toBe(5000);
    expect(pragma(db, 'foreign_keys')).toBe(1);
    expect(pragma(db, 'user_version')).toBe(4);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['command_list', 'events', 'feed_checkpoints', 'queue_duplicates', 'queue_messages', 'step_usage']);
  });

  it("fsyncs every commit for durability 'power-loss' and honours busyTimeoutMs", () => {
    const db = openCommandflowDatabase({ path: temporary.path, durability: 'power-loss', busyTimeoutMs: 250 });
    try {
      expect(pragma(db, 'synchronous')).toBe(2); // FULL
      expect(pragma(db, 'busy_timeout')).toBe(250);
    } finally {
      db.close();
    }
  });

  it('resolves a relative path against the working directory, creating its folder', () => {
    const cwd = process.cwd();
    process.chdir(temporary.folder);
    try {
      openCommandflowDatabase({ path: './.data/commandflow.db' }).close();
      expect(existsSync(join(temporary.folder, '.data', 'commandflow.db'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('reopens an existing file idempotently, keeping its data', async () => {
    const first = temporary.open();
    await new SqliteEventStore(first).appendToStream('kept-1', [testEvent()], { expectedVersion: 'no-stream' });
    first.close();
    const second = temporary.open();
    expect(pragma(second, 'user_version')).toBe(4);
    expect((await new SqliteEventStore(second).readStream('kept-1')).version).toBe(1);
  });

  it('upgrades a version-2 file: the command list gains its last-change column, filled from the documents', async () => {
    const item = { ...commandListItem('2026-05-01T00:00:00.000Z'), updatedAt: '2026-05-01T00:07:00.000Z' };
    const old = temporary.open();
    await new SqliteCommandListStore(old).save(item, undefined);
    old.exec(`DROP INDEX command_list_by_change; DROP INDEX command_list_unfinished_by_change;
              ALTER TABLE command_list DROP COLUMN updated_at; PRAGMA user_version = 2;`);
    old.close();
    const upgraded = temporary.open();
    expect(pragma(upgraded, 'user_version')).toBe(4);
    // The store names the new indexes (INDEXED BY): a query fails outright unless they exist and serve it.
    const store = new SqliteCommandListStore(upgraded);
    await expect(store.listByLastChange({ unfinished: true, changedBefore: '2026-05-01T00:08:00.000Z', limit: 10 })).resolves.toEqual({ items: [item] });
    await expect(store.listByLastChange({ changedFrom: '2026-05-01T00:07:00.000Z', limit: 10 })).resolves.toEqual({ items: [item] });
    await expect(store.listByLastChange({ changedFrom: '2026-05-01T00:07:00.001Z', limit: 10 })).resolves.toEqual({ items: [] });
  });

  it('refuses a file written by a newer schema version, naming both versions', () => {
    temporary.open().pragma('user_version = 99');
    expect(() => temporary.open()).toThrow(IllegalStateError);
    expect(() => temporary.open()).toThrow(/schema version 99; this code knows versions up to 4/);
  });
});

