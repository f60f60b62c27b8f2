import { buildSync } from 'esbuild';
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { CommandflowDatabase } from './commandflowDatabase';
import type { WorkerConfig, WorkerReport } from '../testing/concurrentProcessWorker';
import { SqliteEventStore } from './sqliteEventStore';
import { SqliteQueue } from './sqliteQueue';
import { TemporaryDatabase } from '../testing';
import type { FeedEvent } from './feedConsumer';

jest.setTimeout(30_000);

/** Several processes on one file, as the local host runs its apps: each opens its own connection. */
describe('several processes sharing one database file', () => {
  let temporary: TemporaryDatabase;
  let workerScript: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    temporary = new TemporaryDatabase();
    workerScript = join(temporary.folder, 'worker.js');
    buildSync({
      entryPoints: [join(__dirname, '../testing/concurrentProcessWorker.ts')],
      outfile: workerScript,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['better-sqlite3'],
      tsconfig: join(__dirname, '..', 'tsconfig.json'),
      logLevel: 'silent',
    });
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    temporary.dispose();
  });

  /** Forks a worker and resolves once it has opened the database; `go()` starts its work. */
  const startWorker = async (config: Omit<WorkerConfig, 'path'>) => {
    const child = fork(workerScript, [JSON.stringify({ ...config, path: temporary.path })], {
      // The bundle lives in a temporary folder: resolve better-sqlite3 from the workspace.
      env: { ...process.env, NODE_PATH: dirname(dirname(require.resolve('better-sqlite3/package.json'))) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const reports: WorkerReport[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (report: WorkerReport) => reports.push(report));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`worker ${config.worker} exited with ${code} before it was ready`)));
    });
    return { child, reports, exited, go: () => child.send('go') };
  };

  /** Reads the whole feed page by page, asserting that no read ever sees a position before an earlier one. */
  const readGapFree = async (store: SqliteEventStore, seen: FeedEvent[]) => {
    for (let page = await store.readFeed(seen.at(-1)?.position ?? 0, 50); page.events.length; page = await store.readFeed(page.lastPosition, 50)) {
      for (const event of page.events) {
        expect(event.position).toBe((seen.at(-1)?.position ?? 0) + 1);
        seen.push(event);
      }
    }
  };

  it('appends, sends, receives and completes concurrently from 4 processes: nothing lost, duplicated or out of order', async () => {
    const workers = 4;
    const appends = 150;
    const sends = 100;
    const sharedIds = 20;
    const streamIds = ['s-0', 's-1', 's-2'];
    const started = await Promise.all(
      Array.from({ length: workers }, (_, worker) =>
        startWorker({ worker, mode: 'share', queue: 'work', streamIds, appends, sends, sharedIds }),
      ),
    );
    const db: CommandflowDatabase = temporary.open();
    const store = new SqliteEventStore(db);

    // Read the feed while the workers write: every page must continue exactly where the last ended.
    const feed: FeedEvent[] = [];
    started.forEach(({ go }) => go());
    const finished = Promise.all(started.map(({ exited }) => exited));
    let running = true;
    void finished.then(() => (running = false));
    while (running) {
      await readGapFree(store, feed);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await finished).toEqual(Array(workers).fill(0));
    await readGapFree(store, feed);

    // Events: every append exactly once, versions contiguous per stream, feed in commit order.
    expect(feed).toHaveLength(workers * appends);
    const appended = feed.map((e) => e.data as { worker: number; n: number });
    expect(new Set(appended.map(({ worker, n }) => `${worker}:${n}`)).size).toBe(workers * appends);
    for (const streamId of streamIds) {
      const { events, version } = await store.readStream(streamId);
      expect(events.map((e) => e.version)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      const inFeed = feed.filter((e) => e.streamId === streamId);
      expect(inFeed.map((e) => e.version)).toEqual(events.map((e) => e.version));
    }
    for (let worker = 0; worker < workers; worker++) {
      const own = appended.filter((e) => e.worker === worker).map((e) => e.n);
      expect(own).toEqual(Array.from({ length: appends }, (_, n) => n)); // each worker's appends in its own order
    }

    // Messages: each accepted message delivered once (delivery count 1, so never under two live locks) and completed.
    const received = started.flatMap(({ reports }) => reports.flatMap((r) => (r.type === 'done' ? r.received : [])));
    const expected = [
      ...Array.from({ length: workers }, (_, w) => Array.from({ length: sends }, (_, n) => `w${w}-m${n}`)).flat(),
      ...Array.from({ length: sharedIds }, (_, n) => `shared-m${n}`),
    ];
    expect(received.map((m) => m.messageId).sort()).toEqual(expected.sort());
    expect(received.every((m) => m.deliveryCount === 1)).toBe(true);
    await expect(new SqliteQueue(db).counts('work')).resolves.toEqual({ active: 0, scheduled: 0, locked: 0, deadLettered: 0 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('loses nothing acknowledged when a writing process is killed with SIGKILL', async () => {
    const worker = await startWorker({ worker: 0, mode: 'crash', queue: 'work', streamIds: ['crash'], appends: 0, sends: 0, sharedIds: 0 });
    const acked = () => Math.max(0, ...worker.reports.map((r) => (r.type === 'acked' ? r.version : 0)));
    worker.go();
    while (acked() < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    worker.child.kill('SIGKILL');
    await worker.exited;

    const db = temporary.open();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const { events, version } = await new SqliteEventStore(db).readStream('crash');
    expect(version).toBeGreaterThanOrEqual(acked());
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    // Each append was followed by a send; the kill may fall between the two.
    expect((await new SqliteQueue(db).counts('work')).active).toBeGreaterThanOrEqual(version - 1);
  });
});
