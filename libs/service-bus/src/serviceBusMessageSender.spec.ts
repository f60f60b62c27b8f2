import { toServiceBusMessage } from './serviceBusMessageSender';

describe('toServiceBusMessage', () => {
  it('keeps the messageId, sends the body as JSON and the properties as application properties', () => {
    const scheduledEnqueueTime = new Date('2030-01-01T00:00:00Z');
    expect(
      toServiceBusMessage({
        messageId: 'c-1:validate',
        body: { commandId: 'c-1' },
        subject: 'RenameLeague',
        correlationId: 'corr-1',
        properties: { commandId: 'c-1', commandType: 'RenameLeague', correlationId: 'corr-1' },
        scheduledEnqueueTime,
      }),
    ).toEqual({
      messageId: 'c-1:validate',
      body: { commandId: 'c-1' },
      contentType: 'application/json',
      subject: 'RenameLeague',
      correlationId: 'corr-1',
      applicationProperties: { commandId: 'c-1', commandType: 'RenameLeague', correlationId: 'corr-1' },
      scheduledEnqueueTimeUtc: scheduledEnqueueTime,
    });
  });

  it('leaves out what the message does not set', () => {
    expect(toServiceBusMessage({ messageId: 'c-1:execute', body: { commandId: 'c-1' } })).toEqual({
      messageId: 'c-1:execute',
      body: { commandId: 'c-1' },
      contentType: 'application/json',
      applicationProperties: {},
    });
  });
});
