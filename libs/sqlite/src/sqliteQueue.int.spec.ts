import { IllegalStateError, NotFoundError, ValidationError } from '@commandflow/events';
import type { OutgoingMessage } from '@commandflow/messaging';
import type { CommandflowDatabase } from './commandflowDatabase';
import { SqliteQueue, maxDeliveryCountExceeded, type SqliteQueueOptions } from './sqliteQueue';
import { TemporaryDatabase } from './temporaryDatabase';

const start = Date.UTC(2026, 0, 1);
const second = 1000;
const minute = 60 * second;

describe('SqliteQueue', () => {
  let temporary: TemporaryDatabase;
  let db: CommandflowDatabase;
  let clock: number;
  let queue: SqliteQueue;
  const newQueue = (options: SqliteQueueOptions = {}) =>
    new SqliteQueue(db, { now: () => clock, queues: { work: { lockDurationMs: 30 * second, maxDeliveryCount: 3 } }, ...options });

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
  const receiveOne = async (name = 'work') => {
    const [received, ...more] = await queue.receive(name);
    expect(more).toEqual([]);
    return received;
  };
  const lockLost = { name: 'IllegalStateError', code: 'message_lock_lost' };

  describe('send, receive, complete', () => {
    it('delivers every field in peek-lock, with delivery count 1, and complete removes the message', async () => {
      const sent = {
        messageId: 'm-1',
        body: { commandId: 'c-1', n: 1 },
        subject: 'CreateLeague',
        correlationId: 'corr-1',
        properties: { attempt: 1, urgent: true, by: 'me' },
      };
      await queue.send('work', sent);

      const received = await receiveOne();
      expect(received).toEqual({
        queue: 'work',
        ...sent,
        sequenceNumber: expect.any(Number),
        deliveryCount: 1,
        enqueuedAt: new Date(start),
        lockToken: expect.any(String),
        lockedUntil: new Date(start + 30 * second),
      });
      await expect(queue.receive('work')).resolves.toEqual([]);
      await expect(queue.counts('work')).resolves.toEqual({ active: 0, scheduled: 0, locked: 1, deadLettered: 0 });

      await queue.complete(received!.lockToken);
      await expect(queue.counts('work')).resolves.toEqual({ active: 0, scheduled: 0, locked: 0, deadLettered: 0 });
      clock += 10 * minute;
      await expect(queue.receive('work')).resolves.toEqual([]);
    });

    it('omits absent optional fields and hands out up to maxMessages in send order', async () => {
      for (const id of ['a', 'b', 'c']) await queue.send('work', message(id));
      const received = await queue.receive('work', { maxMessages: 2 });
      expect(received.map((m) => m.messageId)).toEqual(['a', 'b']);
      expect(received[0]).not.toHaveProperty('subject');
      expect(received[0]).not.toHaveProperty('correlationId');
      expect(received[0]?.properties).toEqual({});
      expect(received[1]!.sequenceNumber).toBeGreaterThan(received[0]!.sequenceNumber);
      expect((await queue.receive('work', { maxMessages: 5 })).map((m) => m.messageId)).toEqual(['c']);
    });

    it('keeps queues apart', async () => {
      await queue.send('work', message('same-id'));
      await queue.send('other', message('same-id'));
      expect((await queue.receive('other')).map((m) => m.queue)).toEqual(['other']);
      expect((await queue.receive('work')).map((m) => m.queue)).toEqual(['work']);
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
              await queue.complete(m.lockToken);
            }
          }
        }),
      );
      expect(received.sort()).toEqual([...ids].sort());
    });
  });

  describe('duplicate detection', () => {
    it('drops a repeated messageId within the window (default 10 minutes) and accepts it after', async () => {
      expect(queue.settingsOf('validate').duplicateDetectionWindowMs).toBe(10 * minute);
      await queue.send('validate', message('c-1:validate'));
      clock += 10 * minute - 1;
      await queue.send('validate', message('c-1:validate', { body: { second: true } }));
      expect((await queue.peek('validate')).map((m) => m.body)).toEqual([{ commandId: 'c-1:validate' }]);

      clock += 1;
      await queue.send('validate', message('c-1:validate', { body: { third: true } }));
      expect((await queue.peek('validate')).map((m) => m.body)).toEqual([{ commandId: 'c-1:validate' }, { third: true }]);
    });

    it('still drops a repeat after the first message was completed', async () => {
      await queue.send('work', message('once'));
      await queue.complete((await receiveOne())!.lockToken);
      await queue.send('work', message('once'));
      await expect(queue.receive('work')).resolves.toEqual([]);
    });

    it('forgets expired messageIds lazily, on later sends', async () => {
      const remembered = () => db.prepare('SELECT count(*) FROM queue_duplicates').pluck().get();
      for (let n = 0; n < 5; n++) await queue.send('work', message(`m-${n}`));
      expect(remembered()).toBe(5);
      clock += 10 * minute;
      await queue.send('work', message('later'));
      expect(remembered()).toBe(1);
    });
  });

  describe('scheduled messages', () => {
    it('are invisible until their scheduled enqueue time', async () => {
      await queue.send('work', message('later', { scheduledEnqueueTime: new Date(start + 5 * minute) }));
      await queue.send('work', message('now'));
      const [immediate, ...none] = await queue.receive('work', { maxMessages: 10 });
      expect([immediate!.messageId, none]).toEqual(['now', []]);
      await expect(queue.counts('work')).resolves.toMatchObject({ active: 0, scheduled: 1 });
      expect((await queue.peek('work')).map((m) => [m.messageId, m.state])).toEqual([
        ['later', 'scheduled'],
        ['now', 'locked'],
      ]);
      await queue.complete(immediate!.lockToken);

      clock = start + 5 * minute - 1;
      await expect(queue.receive('work')).resolves.toEqual([]);
      clock += 1;
      expect(await receiveOne()).toMatchObject({ messageId: 'later', deliveryCount: 1 });
    });
  });

  describe('locks', () => {
    it('expire after the lock duration: the message is delivered again with deliveryCount + 1 and the old lock is lost', async () => {
      await queue.send('work', message('slow'));
      const first = await receiveOne();
      clock += 30 * second - 1;
      await expect(queue.receive('work')).resolves.toEqual([]);
      clock += 1;
      await expect(queue.counts('work')).resolves.toMatchObject({ active: 1, locked: 0 });
      const again = await receiveOne();
      expect(again).toMatchObject({ messageId: 'slow', deliveryCount: 2, sequenceNumber: first!.sequenceNumber });
      expect(again!.lockToken).not.toBe(first!.lockToken);
      await expect(queue.complete(first!.lockToken)).rejects.toMatchObject(lockLost);
      await queue.complete(again!.lockToken);
    });

    it('use the lock duration asked for at receive, and renewLock extends by the queue duration', async () => {
      await queue.send('work', message('m'));
      const [received] = await queue.receive('work', { lockDurationMs: 5 * second });
      expect(received!.lockedUntil).toEqual(new Date(start + 5 * second));
      clock += 4 * second;
      await expect(queue.renewLock(received!.lockToken)).resolves.toEqual(new Date(clock + 30 * second));
      clock += 29 * second;
      await queue.complete(received!.lockToken);
    });

    it('throw a clear error for every settlement once lost, and after the message was settled', async () => {
      await queue.send('work', message('m'));
      const received = await receiveOne();
      await queue.complete(received!.lockToken);
      for (const settle of [
        () => queue.complete(received!.lockToken),
        () => queue.abandon(received!.lockToken),
        () => queue.deadLetter(received!.lockToken, { reason: 'Nope' }),
        () => queue.renewLock(received!.lockToken),
        () => queue.complete('never-issued'),
      ]) {
        const attempt = settle();
        await expect(attempt).rejects.toBeInstanceOf(IllegalStateError);
        await expect(attempt).rejects.toMatchObject({ ...lockLost, retryable: false, message: expect.stringContaining('expired') });
      }
    });

    it('take lock tokens from the injected generator', async () => {
      let n = 0;
      queue = newQueue({ newLockToken: () => `token-${++n}` });
      await queue.send('work', message('m'));
      expect((await receiveOne())!.lockToken).toBe('token-1');
    });
  });

  describe('abandon and dead-lettering', () => {
    it('abandon makes the message receivable at once, with deliveryCount + 1', async () => {
      await queue.send('work', message('m'));
      await queue.abandon((await receiveOne())!.lockToken);
      await expect(queue.counts('work')).resolves.toMatchObject({ active: 1, locked: 0 });
      expect(await receiveOne()).toMatchObject({ messageId: 'm', deliveryCount: 2 });
    });

    it('dead-letters with MaxDeliveryCountExceeded when the last allowed delivery is abandoned (default 10)', async () => {
      expect(queue.settingsOf('execute').maxDeliveryCount).toBe(10);
      await queue.send('work', message('poison'));
      for (let delivery = 1; delivery <= 3; delivery++) {
        const received = await receiveOne();
        expect(received!.deliveryCount).toBe(delivery);
        await queue.abandon(received!.lockToken);
      }
      await expect(queue.receive('work')).resolves.toEqual([]);
      expect(await queue.listDeadLetters('work')).toEqual([
        expect.objectContaining({
          messageId: 'poison',
          deliveryCount: 3,
          deadLetterReason: maxDeliveryCountExceeded,
          deadLetterDescription: 'Message could not be consumed after 3 delivery attempts.',
          deadLetteredAt: new Date(start),
        }),
      ]);
    });

    it('dead-letters with MaxDeliveryCountExceeded when the lock of the last allowed delivery expires', async () => {
      await queue.send('work', message('crashes-the-worker'));
      for (let delivery = 1; delivery <= 3; delivery++) {
        expect(await receiveOne()).toMatchObject({ deliveryCount: delivery });
        clock += 30 * second;
      }
      await expect(queue.receive('work')).resolves.toEqual([]);
      await expect(queue.counts('work')).resolves.toEqual({ active: 0, scheduled: 0, locked: 0, deadLettered: 1 });
      const [deadLetter] = await queue.listDeadLetters('work');
      expect(deadLetter).toMatchObject({ deadLetterReason: 'MaxDeliveryCountExceeded', deadLetteredAt: new Date(clock) });
    });

    it('dead-letters on request with a reason and a description', async () => {
      await queue.send('work', message('bad', { subject: 'CreateLeague' }));
      const received = await receiveOne();
      await queue.deadLetter(received!.lockToken, { reason: 'UnknownCommandType', description: 'No handler for CreateLeague' });
      await expect(queue.peekDeadLetter('work', received!.sequenceNumber)).resolves.toEqual({
        queue: 'work',
        messageId: 'bad',
        sequenceNumber: received!.sequenceNumber,
        body: { commandId: 'bad' },
        subject: 'CreateLeague',
        properties: {},
        deliveryCount: 1,
        enqueuedAt: new Date(start),
        deadLetterReason: 'UnknownCommandType',
        deadLetterDescription: 'No handler for CreateLeague',
        deadLetteredAt: new Date(start),
      });
      await expect(queue.deadLetter('x', { reason: '' })).rejects.toMatchObject({ code: 'invalid_dead_letter_reason' });
    });

    it('lists dead letters in pages, peeks one, resubmits it as a new delivery despite duplicate detection, and purges', async () => {
      for (const id of ['d-1', 'd-2', 'd-3']) {
        await queue.send('work', message(id));
        await queue.deadLetter((await receiveOne())!.lockToken, { reason: 'Test' });
      }
      const firstPage = await queue.listDeadLetters('work', { limit: 2 });
      expect(firstPage.map((m) => m.messageId)).toEqual(['d-1', 'd-2']);
      const rest = await queue.listDeadLetters('work', { limit: 2, afterSequenceNumber: firstPage[1]!.sequenceNumber });
      expect(rest.map((m) => m.messageId)).toEqual(['d-3']);
      await expect(queue.peekDeadLetter('work', 999)).resolves.toBeUndefined();
      await expect(queue.peekDeadLetter('other', firstPage[0]!.sequenceNumber)).resolves.toBeUndefined();

      clock += minute;
      const newSequenceNumber = await queue.resubmitDeadLetter('work', firstPage[0]!.sequenceNumber);
      expect(newSequenceNumber).toBeGreaterThan(rest[0]!.sequenceNumber);
      await expect(queue.peekDeadLetter('work', firstPage[0]!.sequenceNumber)).resolves.toBeUndefined();
      expect(await receiveOne()).toMatchObject({
        messageId: 'd-1',
        sequenceNumber: newSequenceNumber,
        deliveryCount: 1,
        enqueuedAt: new Date(clock),
      });
      await expect(queue.resubmitDeadLetter('work', firstPage[0]!.sequenceNumber)).rejects.toBeInstanceOf(NotFoundError);

      await expect(queue.purgeDeadLetters('work')).resolves.toBe(2);
      await expect(queue.listDeadLetters('work')).resolves.toEqual([]);
      await expect(queue.counts('work')).resolves.toMatchObject({ deadLettered: 0, locked: 1 });
    });
  });

  describe('durability', () => {
    it('keeps messages, locks, dead letters and duplicate detection across closing and reopening the file', async () => {
      await queue.send('work', message('waiting'));
      await queue.send('work', message('locked'));
      await queue.send('work', message('later', { scheduledEnqueueTime: new Date(start + minute) }));
      await queue.send('work', message('dead'));
      const [waiting, locked, dead] = await queue.receive('work', { maxMessages: 3 });
      expect([waiting, locked, dead].map((m) => m?.messageId)).toEqual(['waiting', 'locked', 'dead']);
      await queue.abandon(waiting!.lockToken);
      await queue.deadLetter(dead!.lockToken, { reason: 'Kept' });
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
      expect((await queue.listDeadLetters('work')).map((m) => m.deadLetterReason)).toEqual(['Kept']);
    });
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
      await expect(queue.receive('work', { lockDurationMs: -1 })).rejects.toMatchObject({ code: 'invalid_queue_option' });
      expect(() => newQueue({ queues: { odd: { maxDeliveryCount: 0 } } }).settingsOf('odd')).toThrow(/odd.maxDeliveryCount/);
    });
  });

  it('takes its defaults from the topology (PT1M lock, 10 deliveries, PT10M window) and applies overrides per queue', () => {
    expect(queue.settingsOf('validate')).toEqual({ maxDeliveryCount: 10, lockDurationMs: minute, duplicateDetectionWindowMs: 10 * minute });
    expect(queue.settingsOf('work')).toEqual({ maxDeliveryCount: 3, lockDurationMs: 30 * second, duplicateDetectionWindowMs: 10 * minute });
  });
});
