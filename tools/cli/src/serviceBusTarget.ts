import { ServiceBusQueue, connectServiceBus } from '@commandflow/service-bus';
import { CliError } from './cliError';
import type { QueueTarget } from './queueTargets';

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
  const queue = new ServiceBusQueue(client);
  return {
    name: `Service Bus (${namespace ?? connectionStringEnv})`,
    queue,
    close: async () => {
      await queue.close();
      await client.close();
    },
  };
}
