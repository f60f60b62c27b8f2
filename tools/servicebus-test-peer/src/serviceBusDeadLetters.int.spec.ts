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

  it('lists and peeks dead letters with their reason and content, without locking them or showing the broker\'s properties', async () => {
    await deadLetter('validate', ['c-1', 'c-2', 'c-3']);
    const listed = await deadLetters.list('validate');
    expect(listed.map((m) => m.messageId)).toEqual(['c-1:validate', 'c-2:validate', 'c-3:validate']);
    expect(listed[0]).toMatchObject({
      queue: 'validate',
      body: { commandId: 'c-1' },
      subject: 'RenameLeague',
      properties: { commandId: 'c-1', commandType: 'RenameLeague' },
      reason: 'PoisonMessage',
      description: 'bad c-1:validate',
    });
    expect(listed[0]!.properties).not.toHaveProperty('DeadLetterReason');
    expect(await deadLetters.list('validate', { limit: 1, fromSequenceNumber: listed[1]!.sequenceNumber })).toEqual([listed[1]]);
    expect(await deadLetters.peek('validate', listed[2]!.sequenceNumber)).toEqual(listed[2]);
    expect(peer.deadLetters('validate').every((m) => !m.locked)).toBe(true);
  });

  it('resubmits one dead letter with its content type and properties, leaving the others unlocked where they were', async () => {
    const [first, second, third] = await deadLetters.list('validate');
    await deadLetters.resubmit('validate', second!.sequenceNumber);
    expect(peer.messages('validate')).toMatchObject([
      { messageId: `c-2:validate:resubmit:${second!.sequenceNumber}`, contentType: 'application/json', applicationProperties: { commandId: 'c-2', commandType: 'RenameLeague' } },
    ]);
    expect(peer.deadLetters('validate')).toMatchObject([
      { sequenceNumber: first!.sequenceNumber, locked: false },
      { sequenceNumber: third!.sequenceNumber, locked: false },
    ]);
  });

  it('sends no second copy when a resubmit is repeated after a crash between its send and its completion', async () => {
    await deadLetter('incoming', ['c-6']);
    const [stuck] = await deadLetters.list('incoming');
    const sender = client.createSender('incoming'); // the copy the crashed resubmit had sent
    await sender.sendMessages({ messageId: `c-6:incoming:resubmit:${stuck!.sequenceNumber}`, body: { commandId: 'c-6' } });
    await sender.close();

    expect(await deadLetters.resubmit('incoming', stuck!.sequenceNumber)).toMatchObject({ messageId: `c-6:incoming:resubmit:${stuck!.sequenceNumber}` });
    expect(peer.messages('incoming')).toHaveLength(1);
    expect(peer.deadLetters('incoming')).toEqual([]);
  });
});
