import { ServiceBusClient } from '@azure/service-bus';
import { ServiceBusDeadLetters } from '@commandflow/service-bus';
import { startServiceBusTestPeer, type ServiceBusTestPeer } from './serviceBusTestPeer';

describe('ServiceBusDeadLetters against the test peer', () => {
  let peer: ServiceBusTestPeer;
  let client: ServiceBusClient;
  let deadLetters: ServiceBusDeadLetters;

  beforeAll(async () => {
    peer = await startServiceBusTestPeer();
    client = new ServiceBusClient(peer.connectionString);
    deadLetters = new ServiceBusDeadLetters(client, { receiveWaitMs: 2_000 });
  });

  afterAll(async () => {
    await client.close();
    await peer.close();
  });

  /** Sends one step message per command id and dead-letters each with a reason, as a step does with a poison message. */
  async function deadLetter(queue: string, commandIds: readonly string[]): Promise<void> {
    const sender = client.createSender(queue);
    await sender.sendMessages(
      commandIds.map((commandId) => ({
        messageId: `${commandId}:${queue}`,
        body: { commandId },
        contentType: 'application/json',
        subject: 'RenameLeague',
        applicationProperties: { commandId, commandType: 'RenameLeague' },
      })),
    );
    await sender.close();
    const receiver = client.createReceiver(queue);
    const received = await receiver.receiveMessages(commandIds.length, { maxWaitTimeInMs: 2_000 });
    for (const message of received) {
      await receiver.deadLetterMessage(message, { deadLetterReason: 'PoisonMessage', deadLetterErrorDescription: `bad ${String(message.messageId)}` });
    }
    await receiver.close();
  }

  it('lists and shows dead letters with their reason, without locking them', async () => {
    await deadLetter('validate', ['c-1', 'c-2', 'c-3']);
    const listed = await deadLetters.list('validate');
    expect(listed.map((m) => m.messageId)).toEqual(['c-1:validate', 'c-2:validate', 'c-3:validate']);
    expect(listed[0]).toMatchObject({
      queue: 'validate',
      body: { commandId: 'c-1' },
      subject: 'RenameLeague',
      contentType: 'application/json',
      properties: { commandId: 'c-1', commandType: 'RenameLeague' },
      deadLetterReason: 'PoisonMessage',
      deadLetterDescription: 'bad c-1:validate',
      state: 'active',
    });
    expect(listed[0]!.properties).not.toHaveProperty('DeadLetterReason');
    expect(await deadLetters.list('validate', { maxMessages: 1, fromSequenceNumber: listed[1]!.sequenceNumber })).toEqual([listed[1]]);

    expect(await deadLetters.show('validate', listed[2]!.sequenceNumber)).toEqual(listed[2]);
    expect(await deadLetters.show('validate', listed[2]!.sequenceNumber + 1000)).toBeUndefined();
    expect(peer.deadLetters('validate').every((m) => !m.locked)).toBe(true);
  });

  it('resubmits one dead letter under a new messageId, so duplicate detection lets it through, and leaves the others', async () => {
    const [first, second, third] = await deadLetters.list('validate');
    const resubmitted = await deadLetters.resubmit('validate', [second!.sequenceNumber]);
    expect(resubmitted).toEqual([{ deadLetter: second, resubmittedMessageId: `c-2:validate:resubmit:${second!.sequenceNumber}` }]);

    // Sent within the duplicate-detection window of c-2:validate, and delivered all the same.
    expect(await deadLetters.peekQueue('validate')).toMatchObject([
      {
        messageId: `c-2:validate:resubmit:${second!.sequenceNumber}`,
        body: { commandId: 'c-2' },
        subject: 'RenameLeague',
        contentType: 'application/json',
        properties: { commandId: 'c-2', commandType: 'RenameLeague' },
        deliveryCount: 0,
      },
    ]);
    expect(peer.messages('validate')[0]!.applicationProperties).toEqual({ commandId: 'c-2', commandType: 'RenameLeague' });
    // A copy under the original id would have been dropped:
    await client.createSender('validate').sendMessages({ messageId: 'c-2:validate', body: { commandId: 'c-2' } });
    expect(peer.messages('validate')).toHaveLength(1);
    expect(peer.deadLetters('validate')).toMatchObject([
      { sequenceNumber: first!.sequenceNumber, locked: false },
      { sequenceNumber: third!.sequenceNumber, locked: false },
    ]);
  });

  it('resubmits every dead letter when given no sequence numbers', async () => {
    const resubmitted = await deadLetters.resubmit('validate');
    expect(resubmitted.map((r) => r.resubmittedMessageId)).toEqual([
      expect.stringMatching(/^c-1:validate:resubmit:\d+$/),
      expect.stringMatching(/^c-3:validate:resubmit:\d+$/),
    ]);
    expect(await deadLetters.list('validate')).toEqual([]);
    expect((await deadLetters.peekQueue('validate')).map((m) => m.body)).toEqual([{ commandId: 'c-2' }, { commandId: 'c-1' }, { commandId: 'c-3' }]);
  });

  it('sends no second copy when a resubmit is repeated after a crash between its send and its completion', async () => {
    await deadLetter('incoming', ['c-6']);
    const [stuck] = await deadLetters.list('incoming');
    const sender = client.createSender('incoming'); // the copy the crashed resubmit had sent
    await sender.sendMessages({ messageId: `c-6:incoming:resubmit:${stuck!.sequenceNumber}`, body: { commandId: 'c-6' } });
    await sender.close();

    expect(await deadLetters.resubmit('incoming')).toHaveLength(1);
    expect(peer.messages('incoming')).toHaveLength(1);
    expect(peer.deadLetters('incoming')).toEqual([]);
  });

  it('purges the dead letters and counts them', async () => {
    await deadLetter('execute', ['c-4', 'c-5']);
    expect(await deadLetters.purge('execute')).toBe(2);
    expect(peer.deadLetters('execute')).toEqual([]);
    expect(await deadLetters.purge('execute')).toBe(0);
  });
});
