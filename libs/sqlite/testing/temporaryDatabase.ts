import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCommandflowDatabase, type CommandflowDatabase, type CommandflowDatabaseOptions } from '../src/commandflowDatabase';

/** A database file in a fresh temporary folder, for tests. Not part of the public API. */
export class TemporaryDatabase {
  readonly folder = mkdtempSync(join(tmpdir(), 'commandflow-sqlite-'));
  readonly path = join(this.folder, 'data', 'commandflow.db');
  private opened: CommandflowDatabase[] = [];

  constructor(private readonly options: Omit<CommandflowDatabaseOptions, 'path'> = {}) {}

  /** Opens another connection to the file, as another process would. */
  open(): CommandflowDatabase {
    const db = openCommandflowDatabase({ ...this.options, path: this.path });
    this.opened.push(db);
    return db;
  }

  /** Closes every connection opened here and deletes the folder. */
  dispose(): void {
    for (const db of this.opened) if (db.open) db.close();
    this.opened = [];
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** A store over a fresh temporary database file, as the contract suites take it: the store, and how to delete it. */
export function onTemporaryDatabase<Store>(make: (db: CommandflowDatabase) => Store): { store: Store; dispose(): void } {
  const temporary = new TemporaryDatabase();
  return { store: make(temporary.open()), dispose: () => temporary.dispose() };
}
