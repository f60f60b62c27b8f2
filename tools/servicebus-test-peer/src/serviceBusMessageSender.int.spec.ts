import { ServiceBusClient } from '@azure/service-bus';
import type { OutgoingMessage } from '@commandflow/messaging';
import { ServiceBusMessageSender, serviceBusSettingsFromEnv } from '@commandflow/service-bus';
import { startServiceBusTestPeer, type ServiceBusTestPeer } from './serviceBusTestPeer';

const stepMessage = (commandId: string): OutgoingMessage => ({
  messageId: `${commandId}:validate`,
  body: { commandId },
  subject: 'RenameLeague',
  correlationId: `corr-${commandId}`,
  properties: {
    commandId,
    commandType: 'RenameLeague',
    correlationId: `corr-${commandId}`,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  },
});

describe('ServiceBusMessageSender against the test peer', () => {
  let peer: ServiceBusTestPeer;
  let client: ServiceBusClient;
  let sender: ServiceBusMessageSender;

  beforeAll(async () => {
    peer = await startServiceBusTestPeer();
    client = new ServiceBusClient(peer.connectionString);
    sender = new ServiceBusMessageSender(client);
  });

  afterAll(async () => {
    await sender.close();
    await client.close();
    await peer.close();
  });

  it('sends the messageId as given, a JSON body, the content type, subject and application properties', async () => {
    const message = stepMessage('c-1');
    await sender.send('validate', message);

    const receiver = client.createReceiver('validate');
    const [received] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(received).toMatchObject({
      messageId: 'c-1:validate',
      body: { commandId: 'c-1' },
      contentType: 'application/json',
      subject: 'RenameLeague',
      correlationId: 'corr-c-1',
      applicationProperties: message.properties,
      deliveryCount: 0,
    });
    expect(peer.messages('validate')[0]?.body).toEqual({ commandId: 'c-1' }); // JSON on the wire, not an AMQP map
    await receiver.completeMessage(received!);
    await receiver.close();
    expect(peer.messages('validate')).toEqual([]);
  });

  it('delivers a message with the same messageId once within the duplicate-detection window', async () => {
    const message = stepMessage('c-2');
    await sender.send('execute', message);
    await sender.send('execute', message);
    const other = new ServiceBusMessageSender({ connectionString: peer.connectionString }); // another process, its own client
    await other.send('execute', message);
    await other.close();
    expect(peer.messages('execute').map((m) => m.messageId)).toEqual(['c-2:validate']);
  });

  it('accepts the same messageId again once the window has passed', async () => {
    const shortWindow = await startServiceBusTestPeer({ duplicateDetectionWindowMs: 200 });
    const own = new ServiceBusMessageSender({ connectionString: shortWindow.connectionString });
    await own.send('execute', stepMessage('c-6'));
    await new Promise((resolve) => setTimeout(resolve, 250));
    await own.send('execute', stepMessage('c-6'));
    await own.close();
    expect(shortWindow.messages('execute').map((m) => m.messageId)).toEqual(['c-6:validate', 'c-6:validate']);
    await shortWindow.close();
  });

  it('schedules a message with a scheduled enqueue time', async () => {
    const scheduledEnqueueTime = new Date(Date.now() + 400);
    await sender.send('scheduled', { ...stepMessage('c-3'), scheduledEnqueueTime });
    const receiver = client.createReceiver('scheduled');
    const [received] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(scheduledEnqueueTime.getTime());
    expect(received?.messageId).toBe('c-3:validate');
    await receiver.completeMessage(received!);
    await receiver.close();
  });

  it('builds its own client from the settings in the environment, and closes it', async () => {
    const own = new ServiceBusMessageSender(serviceBusSettingsFromEnv({ ServiceBusConnection: peer.connectionString })!);
    await own.send('validate', stepMessage('c-4'));
    await own.send('execute', stepMessage('c-4'));
    await own.close();
    expect(peer.messages('validate').map((m) => m.messageId)).toEqual(['c-4:validate']);
    expect(peer.messages('execute').map((m) => m.messageId)).toContain('c-4:validate');
  });

  it('rejects a send to a namespace that is down within the retry budget, so the step throws and is redelivered', async () => {
    const down = await startServiceBusTestPeer();
    await down.close();
    const unreachable = new ServiceBusMessageSender(
      { connectionString: down.connectionString },
      { retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 200, timeoutInMs: 2_000 } },
    );
    const started = Date.now();
    await expect(unreachable.send('validate', stepMessage('c-5'))).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(3_000);
    await unreachable.close();
  });
});
