import { CosmosClient, type CosmosClientOptions, type RetryOptions } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import type { Agent } from 'node:http';
import { cosmosContainers, type CosmosContainers } from './cosmosContainers';
import type { CosmosSettings } from './cosmosSettings';

/**
 * How the SDK retries throttled (429) and transient requests before the error surfaces (as a
 * TransientError, so the trigger retries the step): up to 9 retries within 20 s, waiting as long
 * as Cosmos DB's retry-after says. The SDK's defaults are 9 and 30 s.
 */
export const defaultCosmosRetryOptions: RetryOptions = { maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 20 };

export interface CosmosConnectOptions {
  /** Default `defaultCosmosRetryOptions`. */
  readonly retryOptions?: RetryOptions;
  /** The HTTP agent. Only a test fixture sets one, to accept a local test server's self-signed certificate. */
  readonly agent?: Agent;
}

/** A client and the topology's containers in the configured database. */
export interface CosmosConnection extends CosmosContainers {
  readonly client: CosmosClient;
}

/** Builds a client from validated settings (see `cosmosSettingsFromEnv`). Makes no request; `client.dispose()` when done. */
export function connectCosmos(settings: CosmosSettings, options: CosmosConnectOptions = {}): CosmosConnection {
  const client = new CosmosClient(cosmosClientOptions(settings, options));
  return { client, ...cosmosContainers(client.database(settings.databaseName)) };
}

/** The SDK options for `settings`: the managed identity, a connection string or a key. */
export function cosmosClientOptions(
  settings: CosmosSettings,
  { retryOptions = defaultCosmosRetryOptions, agent }: CosmosConnectOptions = {},
): CosmosClientOptions {
  const common: CosmosClientOptions = { connectionPolicy: { retryOptions: { ...retryOptions } }, ...(agent && { agent }) };
  if ('credential' in settings) {
    const { managedIdentityClientId } = settings;
    return {
      ...common,
      endpoint: settings.endpoint,
      aadCredentials: new DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : {}),
    };
  }
  if ('connectionString' in settings) return { ...common, connectionString: settings.connectionString };
  return { ...common, endpoint: settings.endpoint, key: settings.key };
}
