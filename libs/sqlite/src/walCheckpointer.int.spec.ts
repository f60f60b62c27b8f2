import { statSync } from 'node:fs';
import { TemporaryDatabase } from '../testing';
import type { CommandflowDatabase } from './commandflowDatabase';
import { startWalCheckpointer } from './walCheckpointer';

/** Writes 2,000 rows of 2 KB, each in its own transaction, pausing 50 ms every 100 (as a host between bursts); returns the WAL file's size. */
async function writeBursts(db: CommandflowDatabase, path: string, label: string): Promise<number> {
  const insert = db.prepare('INSERT INTO feed_checkpoints (consumer, position) VALUES (?, ?)');
  for (let row = 0; row < 2_000; row++) {
    insert.run(`${label}-${row}-${'x'.repeat(2_000)}`, row);
    if (row % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return statSync(`${path}-wal`).size;
}

describe('startWalCheckpointer', () => {
  let temporary: TemporaryDatabase;
  beforeEach(() => (temporary = new TemporaryDatabase()));
  afterEach(() => temporary.dispose());

  it('turns the automatic checkpoint off and checkpoints from its worker, so the WAL starts over instead of growing', async () => {
    const unchecked = temporary.open();
    unchecked.pragma('wal_autocheckpoint = 0');
    const grownTo = await writeBursts(unchecked, temporary.path, 'unchecked');
    unchecked.close(); // the last connection checkpoints and removes the WAL

    const db = temporary.open();
    const checkpointer = startWalCheckpointer(db, { intervalMs: 5 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const keptTo = await writeBursts(db, temporary.path, 'checked');
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000); // back to SQLite's own once stopped
    expect(keptTo).toBeLessThan(grownTo / 2);
    expect(db.prepare('SELECT count(*) FROM feed_checkpoints').pluck().get()).toBe(4_000);
  });
});
