import { ValidationError } from '@commandflow/events';
import type { OutgoingMessage } from '@commandflow/messaging';
import { contractQueueSettings, describeQueueContract } from '@commandflow/messaging/testing';
import type { CommandflowDatabase } from './commandflowDatabase';
import { SqliteQueue, type SqliteQueueOptions } from './sqliteQueue';
import { TemporaryDatabase } from '../testing';

describeQueueContract('SqliteQueue', async () => {
  const temporary = new TemporaryDatabase();
  let now = Date.now();
  return {
    queue: new SqliteQueue(temporary.open(), { settings: contractQueueSettings, now: () => now }),
    elapse: async (ms) => {
      now += ms;
    },
    dispose: () => temporary.dispose(),
  };
});

const start = Date.UTC(2026, 0, 1);
const second = 1000;
const minute = 60 * second;

describe('SqliteQueue', () => {
  let temporary: TemporaryDatabase;
  let db: CommandflowDatabase;
  let clock: number;
  let queue: SqliteQueue;
  const newQueue = (options: SqliteQueueOptions = {}) =>
    new SqliteQueue(db, { now: () => clock, settings: { lockDurationMs: 30 * second, maxDeliveryCount: 3 }, ...options });

  beforeEach(() => {
    temporary = new TemporaryDatabase();
    db = temporary.open();
    clock = start;
    queue = newQueue();
  });
  afterEach(() => temporary.dispose());

  const message = (messageId: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    messageId,
    body: { commandId: messageId },
    ...extra,
  });

  it('never hands a message out twice under a live lock, whatever the number of concurrent receivers', async () => {
    const ids = Array.from({ length: 60 }, (_, n) => `m-${n}`);
    await Promise.all(ids.map((id) => queue.send('work', message(id))));
    const received: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let batch = await queue.receive('work', { maxMessages: 3 }); batch.length; batch = await queue.receive('work', { maxMessages: 3 })) {
          for (const m of batch) {
            received.push(m.messageId);
            await queue.complete(m);
          }
        }
      }),
    );
    expect(received.sort()).toEqual([...ids].sort());
  });

  it("releases the locks of a process that died at once, and only that process's", async () => {
    const dead = newQueue({ lockOwner: 111 });
    const alive = newQueue({ lockOwner: 222 });
    for (const id of ['held-by-dead', 'held-by-alive']) await queue.send('work', message(id));
    const [deadsMessage] = await dead.receive('work');
    const [alivesMessage] = await alive.receive('work');
    await expect(queue.releaseLocksOf(111)).resolves.toBe(1);
    expect(await queue.receive('work', { maxMessages: 5 })).toEqual([expect.objectContaining({ messageId: 'held-by-dead', deliveryCount: 2 })]);
    await expect(dead.complete(deadsMessage!)).rejects.toMatchObject({ code: 'message_lock_lost' });
    await alive.complete(alivesMessage!);
    await expect(queue.releaseLocksOf(111)).resolves.toBe(0);
  });

  it('forgets expired messageIds lazily, on later sends', async () => {
    const remembered = () => db.prepare('SELECT count(*) FROM queue_duplicates').pluck().get();
    for (let n = 0; n < 5; n++) await queue.send('work', message(`m-${n}`));
    expect(remembered()).toBe(5);
    clock += 10 * minute;
    await queue.send('work', message('later'));
    expect(remembered()).toBe(1);
  });

  it('browses and counts messages by state without locking them', async () => {
    await queue.send('work', message('now'));
    await queue.send('work', message('later', { scheduledEnqueueTime: new Date(start + minute) }));
    await queue.send('work', message('held'));
    const [, held] = await queue.receive('work', { maxMessages: 2 });
    expect(held?.messageId).toBe('held');
    expect((await queue.browse('work')).map((m) => [m.messageId, m.state])).toEqual([
      ['now', 'locked'],
      ['later', 'scheduled'],
      ['held', 'locked'],
    ]);
    await expect(queue.counts('work')).resolves.toEqual({ active: 0, scheduled: 1, locked: 2, deadLettered: 0 });
  });

  it('hands a row whose body or properties cannot be decoded over as text, so it is dead-lettered instead of stalling the queue', async () => {
    await queue.send('work', message('torn'));
    await queue.send('work', message('fine'));
    db.prepare("UPDATE queue_messages SET body = '{\"commandId\": \"tor', properties = 'not json' WHERE message_id = 'torn'").run();
    const [torn, fine] = await queue.receive('work', { maxMessages: 2 });
    expect(torn).toMatchObject({ messageId: 'torn', body: '{"commandId": "tor', properties: {} });
    expect(fine).toMatchObject({ messageId: 'fine', body: { commandId: 'fine' } });
    await queue.deadLetter(torn!, { reason: 'invalid_step_message' });
    expect(await queue.list('work')).toEqual([expect.objectContaining({ messageId: 'torn', body: '{"commandId": "tor' })]);
  });

  it('keeps messages, locks, dead letters and duplicate detection across closing and reopening the file', async () => {
    await queue.send('work', message('waiting'));
    await queue.send('work', message('locked'));
    await queue.send('work', message('later', { scheduledEnqueueTime: new Date(start + minute) }));
    await queue.send('work', message('dead'));
    const [waiting, locked, dead] = await queue.receive('work', { maxMessages: 3 });
    expect([waiting, locked, dead].map((m) => m?.messageId)).toEqual(['waiting', 'locked', 'dead']);
    await queue.abandon(waiting!);
    await queue.deadLetter(dead!, { reason: 'Kept' });
    db.close();

    db = temporary.open();
    queue = newQueue();
    await expect(queue.counts('work')).resolves.toEqual({ active: 1, scheduled: 1, locked: 1, deadLettered: 1 });
    await queue.send('work', message('waiting'));
    clock += minute;
    expect((await queue.receive('work', { maxMessages: 10 })).map((m) => [m.messageId, m.deliveryCount])).toEqual([
      ['waiting', 2],
      ['locked', 2],
      ['later', 1],
    ]);
    expect((await queue.list('work')).map((m) => m.reason)).toEqual(['Kept']);
  });

  describe('bad input', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    it.each<[string, string, OutgoingMessage | undefined, string]>([
      ['an empty messageId', 'work', { messageId: '', body: {} }, 'invalid_message_id'],
      ['a messageId over 128 characters', 'work', { messageId: 'x'.repeat(129), body: {} }, 'invalid_message_id'],
      ['a circular body', 'work', { messageId: 'm', body: circular }, 'invalid_message_body'],
      ['a BigInt in the body', 'work', { messageId: 'm', body: { n: 1n } }, 'invalid_message_body'],
      ['an array body', 'work', { messageId: 'm', body: [] as unknown as Record<string, unknown> }, 'invalid_message_body'],
      ['a null body', 'work', { messageId: 'm', body: null as unknown as Record<string, unknown> }, 'invalid_message_body'],
      ['an invalid scheduled time', 'work', { messageId: 'm', body: {}, scheduledEnqueueTime: new Date(NaN) }, 'invalid_message'],
      ['an object property', 'work', { messageId: 'm', body: {}, properties: { x: {} as unknown as string } }, 'invalid_message'],
      ['no message', 'work', undefined, 'invalid_message_id'],
      ['an empty queue name', '', { messageId: 'm', body: {} }, 'invalid_queue'],
    ])('rejects %s with a clear error and writes nothing', async (_label, name, bad, code) => {
      const attempt = queue.send(name, bad as OutgoingMessage);
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toMatchObject({ code });
      expect(db.prepare('SELECT (SELECT count(*) FROM queue_messages) + (SELECT count(*) FROM queue_duplicates)').pluck().get()).toBe(0);
    });

    it('rejects bad receive options and queue settings', async () => {
      await expect(queue.receive('work', { maxMessages: 0 })).rejects.toMatchObject({ code: 'invalid_queue_option' });
      await expect(queue.deadLetter({ lockToken: 'x' } as never, { reason: '' })).rejects.toMatchObject({ code: 'invalid_dead_letter_reason' });
      expect(() => newQueue({ settings: { maxDeliveryCount: 0 } }).settingsOf('odd')).toThrow(/odd.maxDeliveryCount/);
    });
  });

  it('takes its defaults from the topology (PT1M lock, 10 deliveries, PT10M window) and applies overrides to every queue', () => {
    expect(new SqliteQueue(db).settingsOf('validate')).toEqual({ maxDeliveryCount: 10, lockDurationMs: minute, duplicateDetectionWindowMs: 10 * minute });
    expect(queue.settingsOf('work')).toEqual({ maxDeliveryCount: 3, lockDurationMs: 30 * second, duplicateDetectionWindowMs: 10 * minute });
  });
});
