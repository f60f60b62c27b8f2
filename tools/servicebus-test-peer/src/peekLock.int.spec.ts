import { ServiceBusClient, type ServiceBusReceiver } from '@azure/service-bus';
import { maxDeliveryCountExceeded, startServiceBusTestPeer, type ServiceBusTestPeer } from './index';

describe('peek-lock against the test peer (the real SDK receiving)', () => {
  let peer: ServiceBusTestPeer;
  let client: ServiceBusClient;

  beforeAll(async () => {
    peer = await startServiceBusTestPeer({ maxDeliveryCount: 3 });
    client = new ServiceBusClient(peer.connectionString);
  });

  afterAll(async () => {
    await client.close();
    await peer.close();
  });

  /** A receiver that settles by hand and never renews locks, closed after `use`. */
  async function withReceiver(queue: string, use: (receiver: ServiceBusReceiver) => Promise<void>, subQueueType?: 'deadLetter') {
    const receiver = client.createReceiver(queue, { maxAutoLockRenewalDurationInMs: 0, ...(subQueueType && { subQueueType }) });
    try {
      await use(receiver);
    } finally {
      await receiver.close();
    }
  }

  const receiveOne = async (receiver: ServiceBusReceiver) => {
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    if (!message) throw new Error('nothing received');
    return message;
  };

  it('locks a received message until it is completed, which removes it', async () => {
    await client.createSender('complete').sendMessages({ messageId: 'm-1', body: { commandId: 'c-1' } });
    await withReceiver('complete', async (receiver) => {
      const message = await receiveOne(receiver);
      expect(message.lockToken).toMatch(/^[0-9a-f-]{36}$/);
      expect(message.lockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());
      expect(peer.messages('complete')).toMatchObject([{ messageId: 'm-1', locked: true }]);
      await receiver.completeMessage(message);
    });
    expect(peer.messages('complete')).toEqual([]);
  });

  it('redelivers an abandoned message with deliveryCount + 1, and dead-letters it after maxDeliveryCount deliveries', async () => {
    await client.createSender('abandon').sendMessages({ messageId: 'm-2', body: { commandId: 'c-2' } });
    const deliveryCounts: number[] = [];
    await withReceiver('abandon', async (receiver) => {
      for (let delivery = 1; delivery <= 3; delivery++) {
        const message = await receiveOne(receiver);
        deliveryCounts.push(message.deliveryCount!);
        await receiver.abandonMessage(message);
      }
      expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
    });
    expect(deliveryCounts).toEqual([0, 1, 2]); // the AMQP header's count, as the JS SDK shows it
    expect(peer.messages('abandon')).toEqual([]);
    await withReceiver(
      'abandon',
      async (deadLetters) => {
        const message = await receiveOne(deadLetters);
        expect(message).toMatchObject({
          messageId: 'm-2',
          body: { commandId: 'c-2' },
          deadLetterReason: maxDeliveryCountExceeded,
          deadLetterErrorDescription: 'Message could not be consumed after 3 delivery attempts.',
          deliveryCount: 3,
        });
        await deadLetters.completeMessage(message);
      },
      'deadLetter',
    );
  });

  it('dead-letters a message on request, with the reason and description', async () => {
    await client.createSender('explicit').sendMessages({ messageId: 'm-3', body: { commandId: 'c-3' }, applicationProperties: { commandId: 'c-3' } });
    await withReceiver('explicit', async (receiver) => {
      await receiver.deadLetterMessage(await receiveOne(receiver), {
        deadLetterReason: 'PoisonMessage',
        deadLetterErrorDescription: 'Body is not a command id',
      });
    });
    expect(peer.deadLetters('explicit')).toMatchObject([
      { messageId: 'm-3', applicationProperties: { commandId: 'c-3' }, deadLetterReason: 'PoisonMessage', deadLetterDescription: 'Body is not a command id' },
    ]);
    await withReceiver(
      'explicit',
      async (deadLetters) => {
        const [peeked] = await deadLetters.peekMessages(10);
        expect(peeked).toMatchObject({ messageId: 'm-3', deadLetterReason: 'PoisonMessage', deadLetterErrorDescription: 'Body is not a command id' });
        expect(peeked?.deadLetterSource).toBe('explicit');
      },
      'deadLetter',
    );
  });

  it('makes a message whose lock expired receivable again, and refuses to settle it with the lost lock', async () => {
    const shortLocks = await startServiceBusTestPeer({ lockDurationMs: 1_000 });
    const shortLockClient = new ServiceBusClient(shortLocks.connectionString);
    await shortLockClient.createSender('expiry').sendMessages({ messageId: 'm-4', body: { commandId: 'c-4' } });
    const receiver = shortLockClient.createReceiver('expiry', { maxAutoLockRenewalDurationInMs: 0 });
    const first = await receiveOne(receiver);
    const second = await receiveOne(receiver); // waits for the first lock to run out
    expect(second).toMatchObject({ messageId: 'm-4', deliveryCount: 1 });
    await expect(receiver.completeMessage(first)).rejects.toMatchObject({ code: 'MessageLockLost' });
    await receiver.completeMessage(second);
    expect(shortLocks.messages('expiry')).toEqual([]);
    await shortLockClient.close();
    await shortLocks.close();
  });

  it('removes a message on delivery in receiveAndDelete mode', async () => {
    await client.createSender('delete').sendMessages({ messageId: 'm-5', body: { commandId: 'c-5' } });
    const receiver = client.createReceiver('delete', { receiveMode: 'receiveAndDelete' });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    await receiver.close();
    expect(message).toMatchObject({ messageId: 'm-5', lockToken: undefined });
    expect(peer.messages('delete')).toEqual([]);
  });

  it('peeks without locking, in sequence order, from a sequence number', async () => {
    const sender = client.createSender('peek');
    await sender.sendMessages([1, 2, 3].map((n) => ({ messageId: `p-${n}`, body: { n } })));
    await withReceiver('peek', async (receiver) => {
      const all = await receiver.peekMessages(10);
      expect(all.map((m) => m.messageId)).toEqual(['p-1', 'p-2', 'p-3']);
      const [, second] = all;
      const fromSecond = await receiver.peekMessages(10, { fromSequenceNumber: second!.sequenceNumber! });
      expect(fromSecond.map((m) => m.body)).toEqual([{ n: 2 }, { n: 3 }]);
    });
    expect(peer.messages('peek').every((m) => !m.locked)).toBe(true);
  });
});
