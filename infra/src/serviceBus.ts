import type * as pulumi from '@pulumi/pulumi';
import * as servicebus from '@pulumi/azure-native/servicebus';
import { queueTopology, type QueueName, type QueueSettings } from '@commandflow/topology';
import type { Placement, ServiceBusSku } from './config';

export interface ServiceBusArgs extends Placement {
  readonly sku: ServiceBusSku;
  /** Stack-wide changes to the default queue settings of `@commandflow/topology`. */
  readonly queueSettings: Partial<Omit<QueueSettings, 'name'>>;
}

export interface ServiceBus {
  readonly namespace: servicebus.Namespace;
  readonly queues: Readonly<Record<QueueName, servicebus.Queue>>;
  /** `<namespace>.servicebus.windows.net`, what identity-based connections are configured with. */
  readonly fullyQualifiedNamespace: pulumi.Output<string>;
}

/**
 * Service Bus cannot change `requiresDuplicateDetection` on an existing queue: a change replaces
 * the queue, which has a fixed name, so the old one is deleted first (its messages with it).
 */
export const queueOptions: pulumi.CustomResourceOptions = {
  replaceOnChanges: ['requiresDuplicateDetection'],
  deleteBeforeReplace: true,
};

/** The namespace (SAS keys disabled: Entra ID roles only) and every queue of `queueTopology`. */
export function createServiceBus({ namePrefix, resourceGroupName, sku, queueSettings }: ServiceBusArgs): ServiceBus {
  const namespace = new servicebus.Namespace(`${namePrefix}-bus`, {
    resourceGroupName,
    sku: { name: sku, tier: sku, capacity: sku === 'Premium' ? 1 : undefined },
    disableLocalAuth: true,
    minimumTlsVersion: '1.2',
  });
  const queueResources = Object.fromEntries(
    queueTopology(queueSettings).map((settings) => [
      settings.name,
      new servicebus.Queue(
        `${namePrefix}-${settings.name}`,
        {
          resourceGroupName,
          namespaceName: namespace.name,
          queueName: settings.name,
          maxDeliveryCount: settings.maxDeliveryCount,
          lockDuration: settings.lockDuration,
          requiresDuplicateDetection: true,
          duplicateDetectionHistoryTimeWindow: settings.duplicateDetectionWindow,
          deadLetteringOnMessageExpiration: settings.deadLetteringOnMessageExpiration,
        },
        queueOptions,
      ),
    ]),
  ) as Record<QueueName, servicebus.Queue>;
  return {
    namespace,
    queues: queueResources,
    fullyQualifiedNamespace: namespace.serviceBusEndpoint.apply((endpoint) => new URL(endpoint).hostname),
  };
}
