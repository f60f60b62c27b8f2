import { isCommandflowError } from '@commandflow/events';
import { maxDeliveryCountExceeded, type PeekLockQueue, type ReceivedMessage } from '../src';

/** The settings every fixture gives its queues, so that the contract can wait them out. */
export const contractQueueSettings = { maxDeliveryCount: 3, lockDurationMs: 400, duplicateDetectionWindowMs: 800 } as const;

export interface QueueFixture {
  /** A queue adapter with `contractQueueSettings` on every queue. */
  readonly queue: PeekLockQueue;
  /** Lets `ms` of the queue's time pass: a fake clock moves on, a real one is waited for. */
  elapse(ms: number): Promise<void>;
  dispose?(): Promise<void> | void;
}

/**
 * The behaviour every PeekLockQueue adapter must have: Service Bus's. Call it from the adapter's
 * spec: `describeQueueContract('SqliteQueue', async () => ({ queue, elapse, dispose }))`.
 */
export function describeQueueContract(adapterName: string, createFixture: () => Promise<QueueFixture>): void {
  describe(`${adapterName} (queue contract)`, () => {
    let fixture: QueueFixture;
    let queue: PeekLockQueue;
    let counter = 0;
    // A fresh queue name per test: adapters that keep state across tests (a broker) stay isolated.
    let name: string;

    beforeEach(async () => {
      fixture = await createFixture();
      queue = fixture.queue;
      name = `contract-${Date.now().toString(36)}-${++counter}`;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    const send = (messageId: string, extra: object = {}) => queue.send(name, { messageId, body: { commandId: messageId }, ...extra });
    const receiveOne = async (): Promise<ReceivedMessage> => {
      const [message, ...more] = await queue.receive(name);
      expect(more).toEqual([]);
      if (!message) throw new Error('expected a message');
      return message;
    };
    const lockLost = (promise: Promise<unknown>) =>
      expect(promise.catch((error: unknown) => (isCommandflowError(error) ? error.code : error))).resolves.toBe('message_lock_lost');

    it('receives nothing from an empty queue', async () => {
      await expect(queue.receive(name)).resolves.toEqual([]);
    });

    it('hands a message over with its id, body, subject, correlation id and properties, delivery count 1', async () => {
      await send('m-1', { subject: 'create-league', correlationId: 'corr-1', properties: { commandId: 'm-1', attempt: 2, urgent: true } });
      const message = await receiveOne();
      expect(message).toMatchObject({
        queue: name,
        messageId: 'm-1',
        body: { commandId: 'm-1' },
        subject: 'create-league',
        correlationId: 'corr-1',
        properties: { commandId: 'm-1', attempt: 2, urgent: true },
        deliveryCount: 1,
      });
      expect(message.lockedUntil.getTime()).toBeGreaterThan(message.enqueuedAt.getTime());
    });

    it('hands messages out oldest first, up to maxMessages at once, with increasing sequence numbers', async () => {
      for (const id of ['a', 'b', 'c']) await send(id);
      const received = await queue.receive(name, { maxMessages: 2 });
      expect(received.map((m) => m.messageId)).toEqual(['a', 'b']);
      expect((received[1]?.sequenceNumber ?? 0) > (received[0]?.sequenceNumber ?? 0)).toBe(true);
      expect((await receiveOne()).messageId).toBe('c');
    });

    it('drops a repeated messageId within the duplicate-detection window, and accepts it after', async () => {
      await send('dup');
      await send('dup');
      await queue.complete(await receiveOne());
      await send('dup');
      await expect(queue.receive(name)).resolves.toEqual([]);
      await fixture.elapse(contractQueueSettings.duplicateDetectionWindowMs + 100);
      await send('dup');
      expect((await receiveOne()).messageId).toBe('dup');
    });

    it('holds a scheduled message until its time', async () => {
      await send('later', { scheduledEnqueueTime: new Date(Date.now() + 60_000) });
      await send('soon', { scheduledEnqueueTime: new Date(Date.now() + 1_500) });
      await expect(queue.receive(name)).resolves.toEqual([]);
      await fixture.elapse(1_600);
      expect((await receiveOne()).messageId).toBe('soon');
    });

    it('locks a received message: nobody else gets it until the lock expires, then it comes back with delivery count 2', async () => {
      await send('locked');
      const first = await receiveOne();
      await expect(queue.receive(name)).resolves.toEqual([]);
      await fixture.elapse(contractQueueSettings.lockDurationMs + 100);
      const second = await receiveOne();
      expect(second).toMatchObject({ messageId: 'locked', deliveryCount: 2 });
      await lockLost(queue.complete(first));
      await queue.complete(second);
    });

    it('completes a message for good; settling it again is a lost lock', async () => {
      await send('done');
      const message = await receiveOne();
      await queue.complete(message);
      await lockLost(queue.complete(message));
      await lockLost(queue.abandon(message));
      await expect(queue.receive(name)).resolves.toEqual([]);
    });

    it('redelivers an abandoned message at once, and dead-letters it after maxDeliveryCount deliveries', async () => {
      await send('flaky');
      for (let delivery = 1; delivery <= contractQueueSettings.maxDeliveryCount; delivery++) {
        const message = await receiveOne();
        expect(message.deliveryCount).toBe(delivery);
        await queue.abandon(message);
      }
      await expect(queue.receive(name)).resolves.toEqual([]);
      expect(await queue.list(name)).toEqual([expect.objectContaining({ messageId: 'flaky', reason: maxDeliveryCountExceeded })]);
    });

    it('dead-letters on request with a reason and description, to list and peek', async () => {
      await send('poison', { properties: { commandId: 'poison' } });
      await queue.deadLetter(await receiveOne(), { reason: 'invalid_step_message', description: 'Not a step message' });
      await expect(queue.receive(name)).resolves.toEqual([]);
      const [letter, ...others] = await queue.list(name);
      expect(others).toEqual([]);
      expect(letter).toMatchObject({
        queue: name,
        messageId: 'poison',
        body: { commandId: 'poison' },
        properties: { commandId: 'poison' },
        reason: 'invalid_step_message',
        description: 'Not a step message',
      });
      await expect(queue.peek(name, letter!.sequenceNumber)).resolves.toMatchObject({ messageId: 'poison' });
      await expect(queue.peek(name, letter!.sequenceNumber + 1000)).resolves.toBeUndefined();
    });

    it('resubmits a dead letter as a copy under <messageId>:resubmit:<sequenceNumber>, and purges', async () => {
      for (const id of ['x', 'y']) {
        await send(id);
        await queue.deadLetter(await receiveOne(), { reason: 'test' });
      }
      const [x, y] = await queue.list(name);
      const resubmitted = await queue.resubmit(name, x!.sequenceNumber);
      expect(resubmitted).toEqual({ deadLetter: expect.objectContaining({ messageId: 'x' }), messageId: `x:resubmit:${x!.sequenceNumber}` });
      await expect(queue.resubmit(name, x!.sequenceNumber)).resolves.toBeUndefined();
      expect(await receiveOne()).toMatchObject({ messageId: `x:resubmit:${x!.sequenceNumber}`, body: { commandId: 'x' }, deliveryCount: 1 });
      expect((await queue.list(name)).map((l) => l.sequenceNumber)).toEqual([y!.sequenceNumber]);
      await expect(queue.purge(name)).resolves.toBe(1);
      await expect(queue.list(name)).resolves.toEqual([]);
    });
  });
}
