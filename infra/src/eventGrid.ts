import * as eventgrid from '@pulumi/azure-native/eventgrid';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import { queueNames } from '@commandflow/topology';
import { commandTopicPermissions, grantAccess, type GrantTargets } from './appPermissions';
import type { Placement } from './config';

export interface CommandTopicArgs extends Placement {
  readonly grantTargets: GrantTargets;
}

export interface CommandTopic {
  readonly topic: eventgrid.Topic;
  /** The topic's own identity; it may only send to the `incoming` queue. */
  readonly identity: managedidentity.UserAssignedIdentity;
  readonly subscription: eventgrid.EventSubscription;
}

/**
 * The custom topic for incoming commands (Event Grid schema; publishers authenticate with
 * Entra ID, keys are off). It delivers every event to the `incoming` Service Bus queue, which
 * intake consumes, with the topic's own identity: unlike a webhook or Azure Function destination
 * there is no endpoint validation, so the subscription can exist before any app code is deployed.
 */
export function createCommandTopic({ namePrefix, resourceGroupName, grantTargets }: CommandTopicArgs): CommandTopic {
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
  const subscription = new eventgrid.EventSubscription(
    `${name}-to-${queueNames.incoming}`,
    {
      scope: topic.id,
      eventDeliverySchema: 'EventGridSchema',
      deliveryWithResourceIdentity: {
        identity: { type: 'UserAssigned', userAssignedIdentity: identity.id },
        destination: {
          endpointType: 'ServiceBusQueue',
          resourceId: grantTargets.queueIds[queueNames.incoming],
          // Message id = event id: the queue's duplicate detection drops Event Grid's redeliveries.
          deliveryAttributeMappings: [{ name: 'MessageId', type: 'Dynamic', sourceField: 'id' }],
        },
      },
    },
    // Delivery fails until the topic's identity may send to the queue.
    { dependsOn: roleAssignments },
  );
  return { topic, identity, subscription };
}
