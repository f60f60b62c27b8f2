import { ServiceBusDeadLetters, ServiceBusMessageSender, connectServiceBus, type ServiceBusDeadLetter } from '@commandflow/service-bus';
import { CliError } from './cliError';
import type { DeadLetterView, QueueTarget } from './queueTargets';

const view = (letter: ServiceBusDeadLetter): DeadLetterView => ({
  sequenceNumber: letter.sequenceNumber,
  messageId: letter.messageId ?? '',
  body: letter.body,
  deliveryCount: letter.deliveryCount,
  ...(letter.deadLetterReason === undefined ? {} : { reason: letter.deadLetterReason }),
  ...(letter.deadLetterDescription === undefined ? {} : { description: letter.deadLetterDescription }),
  ...(letter.enqueuedAt ? { enqueuedAt: letter.enqueuedAt.toISOString() } : {}),
  properties: letter.properties,
});

/**
 * Service Bus queues: `--namespace <fqns>` with DefaultAzureCredential (as deployed), or a
 * connection string from the environment variable `--connection-string-env` names.
 */
export function serviceBusQueueTarget({ namespace, connectionStringEnv }: { namespace?: string; connectionStringEnv?: string }): QueueTarget {
  let connectionString: string | undefined;
  if (connectionStringEnv) {
    connectionString = process.env[connectionStringEnv];
    if (!connectionString) throw new CliError(`The environment variable ${connectionStringEnv} (--connection-string-env) is not set`, 2);
  }
  const client = connectServiceBus(connectionString ? { connectionString } : { fullyQualifiedNamespace: namespace as string, credential: 'identity' });
  const sender = new ServiceBusMessageSender(client);
  const deadLetters = new ServiceBusDeadLetters(client);
  return {
    name: `Service Bus (${namespace ?? connectionStringEnv})`,
    send: (queue, message) => sender.send(queue, message),
    listDeadLetters: async (queue, limit) => (await deadLetters.list(queue, { maxMessages: limit })).map(view),
    showDeadLetter: async (queue, sequenceNumber) => {
      const letter = await deadLetters.show(queue, sequenceNumber);
      return letter && view(letter);
    },
    resubmitDeadLetter: async (queue, sequenceNumber) => {
      const [resubmitted] = await deadLetters.resubmit(queue, [sequenceNumber]);
      if (!resubmitted) throw new CliError(`No dead letter #${sequenceNumber} on ${queue}`);
      return `message id ${resubmitted.resubmittedMessageId}`;
    },
    purgeDeadLetters: (queue) => deadLetters.purge(queue),
    close: async () => {
      await sender.close();
      await client.close();
    },
  };
}
