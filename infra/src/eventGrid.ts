import * as eventgrid from '@pulumi/azure-native/eventgrid';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as storage from '@pulumi/azure-native/storage';
import { queueNames } from '@commandflow/topology';
import { commandTopicPermissions, grantAccess, type GrantTargets } from './appPermissions';
import type { Placement } from './config';
import { createStorageAccount } from './storage';

/**
 * How hard Event Grid tries to deliver an incoming command to the `incoming` queue before it
 * dead-letters the event: at most this many attempts, within this many minutes of publishing.
 * Bounded, so a command that cannot be delivered lands in the dead-letter container within the
 * hour instead of retrying for a day (the Event Grid default) and then being dropped.
 */
export const commandDeliveryRetries = { maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 60 } as const;

/** The blob container that keeps the incoming commands Event Grid could not deliver. */
export const deadLetterContainerName = 'incoming-dead-letters';

export interface DeadLetterStorage {
  readonly account: storage.StorageAccount;
  readonly container: storage.BlobContainer;
}

/**
 * Where Event Grid dead-letters undeliverable commands: a storage account of its own (not any
 * app's host storage), written only by the topic's identity, one container.
 */
export function createDeadLetterStorage({ namePrefix, resourceGroupName }: Placement): DeadLetterStorage {
  const account = createStorageAccount(`${namePrefix}dl`, { resourceGroupName });
  const container = new storage.BlobContainer(`${namePrefix}-${deadLetterContainerName}`, {
    resourceGroupName,
    accountName: account.name,
    containerName: deadLetterContainerName,
    publicAccess: 'None',
  });
  return { account, container };
}

export interface CommandTopicArgs extends Placement {
  readonly grantTargets: GrantTargets;
  readonly deadLetters: DeadLetterStorage;
}

export interface CommandTopic {
  readonly topic: eventgrid.Topic;
  /** The topic's own identity; it may only send to the `incoming` queue and write dead letters. */
  readonly identity: managedidentity.UserAssignedIdentity;
  readonly subscription: eventgrid.EventSubscription;
}

/**
 * The custom topic for incoming commands (Event Grid schema; publishers authenticate with
 * Entra ID, keys are off). It delivers every event to the `incoming` Service Bus queue, which
 * intake consumes, with the topic's own identity: unlike a webhook or Azure Function destination
 * there is no endpoint validation, so the subscription can exist before any app code is deployed.
 * What it cannot deliver within `commandDeliveryRetries` it writes, with the same identity, to the
 * dead-letter container.
 */
export function createCommandTopic({ namePrefix, resourceGroupName, grantTargets, deadLetters }: CommandTopicArgs): CommandTopic {
  const name = `${namePrefix}-commands`;
  const identity = new managedidentity.UserAssignedIdentity(`${name}-id`, { resourceGroupName });
  const roleAssignments = grantAccess(name, identity.principalId, commandTopicPermissions, grantTargets);
  const topic = new eventgrid.Topic(name, {
    resourceGroupName,
    inputSchema: 'EventGridSchema',
    disableLocalAuth: true,
    minimumTlsVersionAllowed: '1.2',
    identity: {
      type: 'UserAssigned',
      userAssignedIdentities: identity.id.apply((id) => ({ [id]: {} })),
    },
  });
  const asTopic = { type: 'UserAssigned', userAssignedIdentity: identity.id } as const;
  const subscription = new eventgrid.EventSubscription(
    `${name}-to-${queueNames.incoming}`,
    {
      scope: topic.id,
      eventDeliverySchema: 'EventGridSchema',
      deliveryWithResourceIdentity: {
        identity: asTopic,
        destination: {
          endpointType: 'ServiceBusQueue',
          resourceId: grantTargets.queueIds[queueNames.incoming],
          // Message id = event id: the queue's duplicate detection drops Event Grid's redeliveries.
          deliveryAttributeMappings: [{ name: 'MessageId', type: 'Dynamic', sourceField: 'id' }],
        },
      },
      retryPolicy: { ...commandDeliveryRetries },
      deadLetterWithResourceIdentity: {
        identity: asTopic,
        deadLetterDestination: {
          endpointType: 'StorageBlob',
          resourceId: deadLetters.account.id,
          blobContainerName: deadLetters.container.name,
        },
      },
    },
    // Delivery and dead-lettering fail until the topic's identity may send and write.
    { dependsOn: roleAssignments },
  );
  return { topic, identity, subscription };
}
