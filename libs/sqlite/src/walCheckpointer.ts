import { Worker } from 'node:worker_threads';
import type { CommandflowDatabase } from './commandflowDatabase';

export interface WalCheckpointerOptions {
  /** How often the worker checkpoints, in ms. Default 100. */
  readonly intervalMs?: number;
}

/** What runs in the worker thread: its own connection, a passive checkpoint on a timer. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { timeout: 0, fileMustExist: true });
  db.pragma('synchronous = ' + workerData.synchronous);
} catch {
  // The file went away before this thread started (the store was closed at once): nothing to do.
  process.exit(0);
}
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (another checkpoint runs) or the file is going away: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever COMMIT
 * pushes the WAL past 1,000 pages, with its fsyncs, so a request waits behind it. This turns the
 * automatic checkpoint off on `db` and runs a passive checkpoint every `intervalMs` from a worker
 * thread with a connection of its own: it copies what no reader still needs, never blocks a
 * reader or a writer, and the WAL starts over once all of it is copied. Stop it before closing
 * `db`; if the process dies, the next connection's recovery and checkpoints carry on.
 */
export function startWalCheckpointer(db: CommandflowDatabase, { intervalMs = 100 }: WalCheckpointerOptions = {}): { stop(): Promise<void> } {
  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      driver: require.resolve('better-sqlite3'),
      file: db.name,
      synchronous: db.pragma('synchronous', { simple: true }),
      intervalMs,
    },
  });
  worker.unref(); // never keeps the process alive
  worker.on('error', (error) => console.error('The WAL checkpointer stopped; SQLite checkpoints on commit again', error));
  worker.on('exit', () => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
