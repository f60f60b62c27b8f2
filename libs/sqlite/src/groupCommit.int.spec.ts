import { testEvent } from '@commandflow/event-store/testing';
import { runQueueFunction } from '@commandflow/messaging';
import { queueNames } from '@commandflow/topology';
import { defaultDeliveryPolicy, deliverStepMessage, logCommand, type StepQueue, type WorkflowDependencies } from '@commandflow/workflow';
import { registerTeamCatalogue } from '@commandflow/workflow/testing';
import { TemporaryDatabase } from '../testing';
import type { CommandflowDatabase } from './commandflowDatabase';
import { GroupCommit, TransactionPerWrite, type WriteScheduler } from './groupCommit';
import { SqliteEventStore } from './sqliteEventStore';
import { SqliteQueue } from './sqliteQueue';

const newEvent = (type: string) => testEvent(0, { type, data: {} });
const countRows = (db: CommandflowDatabase, table: string) => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get();

describe('GroupCommit', () => {
  let temporary: TemporaryDatabase;
  let db: CommandflowDatabase;
  let commits: number[];
  let writes: GroupCommit;
  beforeEach(() => {
    temporary = new TemporaryDatabase();
    db = temporary.open();
    commits = [];
    writes = new GroupCommit(db, { onCommit: (count) => commits.push(count) });
  });
  afterEach(() => temporary.dispose());

  it('commits the writes of one turn in one transaction; a write that throws is rolled back alone and only its promise rejects', async () => {
    const store = new SqliteEventStore(db, { writes });
    const insert = db.prepare('INSERT INTO feed_checkpoints (consumer, position) VALUES (?, ?)');
    const results = await Promise.allSettled([
      store.appendToStream('a', [newEvent('A1'), newEvent('A2')], { expectedVersion: 'no-stream' }),
      store.appendToStream('b', [newEvent('B1')], { expectedVersion: 3 }), // a conflict: nothing of it
      writes.write(() => {
        insert.run('half-done', 1);
        throw new Error('fails after writing');
      }),
      store.appendToStream('c', [newEvent('C1')], { expectedVersion: 'no-stream' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(commits).toEqual([4]);
    const other = temporary.open();
    expect(other.prepare('SELECT stream_id, version FROM events ORDER BY position').all()).toEqual([
      { stream_id: 'a', version: 1 },
      { stream_id: 'a', version: 2 },
      { stream_id: 'c', version: 1 },
    ]);
    expect(countRows(other, 'feed_checkpoints')).toBe(0);
  });

  it('resolves a write only once it has committed: another connection sees it by then, and not before', async () => {
    const store = new SqliteEventStore(db, { writes });
    const other = new SqliteEventStore(temporary.open());
    const appended = store.appendToStream('s', [newEvent('E')], { expectedVersion: 'no-stream' });
    await expect(other.readStream('s')).resolves.toMatchObject({ version: 0 });
    await appended;
    await expect(other.readStream('s')).resolves.toMatchObject({ version: 1 });
  });

  it("waits for another process's write lock on a timer, without blocking the event loop", async () => {
    const holder = temporary.open();
    holder.exec('BEGIN IMMEDIATE');
    let settled = false;
    const appended = new SqliteEventStore(db, { writes })
      .appendToStream('waiting', [newEvent('E')], { expectedVersion: 'no-stream' })
      .then(() => (settled = true));
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waitedMs = Date.now() - started;
    holder.exec('COMMIT');
    expect(waitedMs).toBeLessThan(1_000); // the loop ran timers meanwhile: no 5 s busy wait
    expect(settled).toBe(false);
    await appended;
    expect(settled).toBe(true);
  });

  it('commits what is pending when flushed, and rejects writes once the database is closed', async () => {
    const store = new SqliteEventStore(db, { writes });
    const appended = store.appendToStream('flushed', [newEvent('E')], { expectedVersion: 'no-stream' });
    writes.flush();
    db.close();
    await expect(appended).resolves.toBe(1);
    const late = new GroupCommit(temporary.open());
    const closing = late.write(() => 1);
    temporary.dispose();
    await expect(closing).rejects.toThrow('closed');
    temporary = new TemporaryDatabase(); // for afterEach
  });
});

describe('a batch of step deliveries sharing transactions', () => {
  type Outcome = 'ok' | 'permanent' | 'transient' | 'bug';
  const outcomes: readonly Outcome[] = ['ok', 'bug', 'ok', 'permanent', 'transient', 'ok'];

  /** Logs one command per outcome, then delivers each queue's messages: all at once (group commit) or one by one, each in its own transaction. */
  async function runWorkflows(batched: boolean) {
    const temporary = new TemporaryDatabase();
    const db = temporary.open();
    const writes: WriteScheduler = batched ? new GroupCommit(db) : new TransactionPerWrite(db);
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const queue = new SqliteQueue(db, { writes, settings: { maxDeliveryCount: 5 }, now: () => clock });
    const eventStore = new SqliteEventStore(db, { writes });
    const deps: WorkflowDependencies = {
      eventStore,
      sender: queue,
      catalogue: registerTeamCatalogue().catalogue,
      now: () => new Date(clock),
      newId: (() => {
        let next = 0;
        return () => `id-${++next}`;
      })(),
    };
    const inTurn = async <T>(items: readonly T[], run: (item: T) => Promise<unknown>) => {
      if (batched) await Promise.all(items.map(run));
      else for (const item of items) await run(item);
    };
    await inTurn(
      outcomes.map((outcome, index) => ({ outcome, index })),
      ({ outcome, index }) =>
        logCommand(deps, { commandType: 'register-team', parameters: { teamName: `Team ${index}`, outcome }, actor: 'tester', source: 'cli', idempotencyKey: `team-${index}` }),
    );
    for (const name of [queueNames.validate, queueNames.execute] as StepQueue[]) {
      const received = await queue.receive(name, { maxMessages: 100 });
      expect(received).toHaveLength(outcomes.length);
      // Each message delivered twice at once, as a duplicate delivery would: the second finds the work done.
      await inTurn([...received, ...received], async (message) =>
        runQueueFunction(queue, message, () => deliverStepMessage(deps, defaultDeliveryPolicy, name, message)).catch(() => undefined),
      );
      clock += 1_000;
    }
    const streams = db
      .prepare<[], { stream_id: string; version: number; event: string }>("SELECT stream_id, version, event FROM events ORDER BY stream_id, version")
      .all()
      .map(({ stream_id, version, event }) => {
        const { type, data } = JSON.parse(event) as { type: string; data: unknown };
        return { stream_id, version, type, data };
      });
    const messages = db
      .prepare("SELECT queue, message_id, body, state, delivery_count, visible_at FROM queue_messages ORDER BY queue, message_id")
      .all();
    temporary.dispose();
    return { streams, messages };
  }

  it('leaves every stream and message exactly as processing each delivery alone does, failing ones included', async () => {
    const alone = await runWorkflows(false);
    const batched = await runWorkflows(true);
    expect(batched).toEqual(alone);
    // The run covered what it should: completions, a failure, a retry scheduled, and the validation of all six.
    const types = alone.streams.map((event) => event.type);
    expect(types.filter((type) => type === 'ValidationSucceeded')).toHaveLength(outcomes.length);
    expect(types).toEqual(expect.arrayContaining(['CommandCompleted', 'CommandFailed']));
    expect(alone.messages.length).toBeGreaterThan(0);
  });
});
