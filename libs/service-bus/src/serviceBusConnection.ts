import { DefaultAzureCredential } from '@azure/identity';
import { RetryMode, ServiceBusClient, type RetryOptions } from '@azure/service-bus';
import type { ServiceBusSettings } from './serviceBusSettings';

/**
 * How the SDK retries transient failures (a dropped connection, a busy namespace, a timeout)
 * before a send throws and the step's trigger redelivers: 3 retries after about 0.5, 1 and 2 s
 * (exponential, capped at 5 s), each attempt timing out after 20 s, so a send gives up within
 * about 85 s. The SDK's defaults are 3 retries 30 s apart, 60 s per attempt. Errors the SDK
 * deems permanent (a refused connection, an unauthorised identity, a missing queue) are not retried.
 */
export const defaultServiceBusRetryOptions: RetryOptions = {
  maxRetries: 3,
  retryDelayInMs: 500,
  maxRetryDelayInMs: 5_000,
  mode: RetryMode.Exponential,
  timeoutInMs: 20_000,
};

export interface ServiceBusConnectOptions {
  /** Default `defaultServiceBusRetryOptions`. */
  readonly retryOptions?: RetryOptions;
}

/**
 * Builds a client from validated settings (see `serviceBusSettingsFromEnv`): the managed identity
 * (DefaultAzureCredential) against the namespace, or a connection string. Connects lazily, on the
 * first send or receive. One per process is enough (it multiplexes every sender and receiver over
 * one AMQP connection): the composition root creates it once and `close()`s it on shutdown.
 */
export function connectServiceBus(settings: ServiceBusSettings, { retryOptions = defaultServiceBusRetryOptions }: ServiceBusConnectOptions = {}): ServiceBusClient {
  const options = { retryOptions: { ...retryOptions } };
  if ('connectionString' in settings) return new ServiceBusClient(settings.connectionString, options);
  const { managedIdentityClientId } = settings;
  const credential = new DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : {});
  return new ServiceBusClient(settings.fullyQualifiedNamespace, credential, options);
}
