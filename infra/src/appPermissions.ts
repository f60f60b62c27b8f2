import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as cosmosdb from '@pulumi/azure-native/cosmosdb';
import {
  databaseName,
  eventsContainer,
  leasesContainer,
  queueNames,
  usageContainer,
  viewsContainer,
  type QueueName,
} from '@commandflow/topology';

/** Built-in Azure RBAC roles; their ids are the same in every tenant. */
export const azureRoleIds = {
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
} as const;

/** Cosmos DB Built-in Data Contributor: a Cosmos DB data-plane role, not an Azure RBAC one. */
export const cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002';

/** A Cosmos DB container of the commandflow database. */
export type ContainerName = typeof eventsContainer.name;

/**
 * One role on one resource. Every grant is scoped as narrowly as the role allows; none is on a
 * resource group, a namespace, a whole database or a storage account another app shares.
 */
export type Grant =
  /** On one queue, never the namespace. */
  | { readonly role: 'serviceBusDataSender' | 'serviceBusDataReceiver'; readonly queue: QueueName }
  /** On one container of the commandflow database (Cosmos DB data plane). */
  | { readonly role: 'cosmosDataContributor'; readonly container: ContainerName }
  /** On the app's own host storage account: its deployment package, host locks and function keys. */
  | { readonly role: 'storageBlobDataOwner'; readonly storage: 'ownHost' }
  /** On the one blob container where Event Grid dead-letters undeliverable events. */
  | { readonly role: 'storageBlobDataContributor'; readonly storage: 'deadLetterContainer' }
  /** On the Application Insights component, whose local auth is off. */
  | { readonly role: 'monitoringMetricsPublisher' };

/** What the Functions host needs to start and report: every app has these, on its own storage. */
const functionsHost: readonly Grant[] = [
  { role: 'storageBlobDataOwner', storage: 'ownHost' },
  { role: 'monitoringMetricsPublisher' },
];

/**
 * Least privilege of each function app: the one table the program, the tests, the policy pack
 * and infra/README.md's security model agree on. Add a grant here (e.g. Data Receiver on another
 * queue) and the role assignment, the tests' expectations and the policy's allowance follow.
 */
export const appPermissions = {
  intake: [
    ...functionsHost,
    // Logs commands (events), serves the read model (views), and runs the change-feed projector (leases).
    { role: 'cosmosDataContributor', container: eventsContainer.name },
    { role: 'cosmosDataContributor', container: viewsContainer.name },
    { role: 'cosmosDataContributor', container: leasesContainer.name },
    // Writes the usage of its log step; GET /api/commands/{id}/cost reads a command's usage.
    { role: 'cosmosDataContributor', container: usageContainer.name },
    { role: 'serviceBusDataReceiver', queue: queueNames.incoming },
    { role: 'serviceBusDataSender', queue: queueNames.validate },
    // The page and the API show the steps' dead letters (a queue-scoped role covers its dead-letter
    // subqueue) and, where COMMANDFLOW_PAGE_WRITES allows, resubmit them to their queue; the
    // stalled-command sweeper nudges Created commands on validate and Validated ones on execute.
    { role: 'serviceBusDataReceiver', queue: queueNames.validate },
    { role: 'serviceBusDataReceiver', queue: queueNames.execute },
    { role: 'serviceBusDataSender', queue: queueNames.execute },
  ],
  validator: [
    ...functionsHost,
    { role: 'cosmosDataContributor', container: eventsContainer.name },
    { role: 'cosmosDataContributor', container: usageContainer.name },
    { role: 'serviceBusDataReceiver', queue: queueNames.validate },
    { role: 'serviceBusDataSender', queue: queueNames.execute },
  ],
  executor: [
    ...functionsHost,
    // Command streams and the domain streams its handlers write live in the same container.
    { role: 'cosmosDataContributor', container: eventsContainer.name },
    { role: 'cosmosDataContributor', container: usageContainer.name },
    { role: 'serviceBusDataReceiver', queue: queueNames.execute },
  ],
} as const satisfies Record<string, readonly Grant[]>;

export type AppName = keyof typeof appPermissions;

/**
 * The Event Grid topic's identity delivers incoming commands, dead-letters what it cannot deliver,
 * and may do nothing else.
 */
export const commandTopicPermissions: readonly Grant[] = [
  { role: 'serviceBusDataSender', queue: queueNames.incoming },
  { role: 'storageBlobDataContributor', storage: 'deadLetterContainer' },
];

/** The resources grants point at. */
export interface GrantTargets {
  /** Subscription whose built-in role definitions are referenced. */
  readonly subscriptionId: pulumi.Input<string>;
  readonly queueIds: Readonly<Record<QueueName, pulumi.Input<string>>>;
  readonly appInsightsId: pulumi.Input<string>;
  /** Resource id of the blob container that receives Event Grid's dead letters. */
  readonly deadLetterContainerId: pulumi.Input<string>;
  readonly cosmos: {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly accountName: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
  };
}

/** The targets of one identity: the shared ones, plus its own host storage account when it is an app. */
export interface IdentityGrantTargets extends GrantTargets {
  readonly ownHostStorageAccountId?: pulumi.Input<string>;
}

/** The Cosmos DB data-plane scope of a container: `<account id>/dbs/<database>/colls/<container>`. */
export const cosmosContainerScope = (accountId: pulumi.Input<string>, container: ContainerName): pulumi.Output<string> =>
  pulumi.interpolate`${accountId}/dbs/${databaseName}/colls/${container}`;

/**
 * Creates one role assignment per grant for `principalId` (a managed identity's principal id).
 * Names are GUIDs derived from scope, role and principal, so a re-run never duplicates them.
 */
export function grantAccess(
  name: string,
  principalId: pulumi.Input<string>,
  grants: readonly Grant[],
  targets: IdentityGrantTargets,
  opts?: pulumi.CustomResourceOptions,
): pulumi.CustomResource[] {
  return grants.map((grant) => {
    if (grant.role === 'cosmosDataContributor') {
      const { resourceGroupName, accountName, accountId } = targets.cosmos;
      const scope = cosmosContainerScope(accountId, grant.container);
      return new cosmosdb.SqlResourceSqlRoleAssignment(
        `${name}-${grant.role}-${grant.container}`,
        {
          resourceGroupName,
          accountName,
          roleAssignmentId: stableGuid(scope, cosmosDataContributorRoleId, principalId),
          roleDefinitionId: pulumi.interpolate`${accountId}/sqlRoleDefinitions/${cosmosDataContributorRoleId}`,
          principalId,
          scope,
        },
        opts,
      );
    }
    const scope = rbacScope(grant, targets);
    const roleId = azureRoleIds[grant.role];
    return new authorization.RoleAssignment(
      'queue' in grant ? `${name}-${grant.role}-${grant.queue}` : `${name}-${grant.role}`,
      {
        scope,
        roleAssignmentName: stableGuid(scope, roleId, principalId),
        roleDefinitionId: pulumi.interpolate`/subscriptions/${targets.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
        principalId,
        principalType: 'ServicePrincipal',
      },
      opts,
    );
  });
}

function rbacScope(grant: Exclude<Grant, { role: 'cosmosDataContributor' }>, targets: IdentityGrantTargets): pulumi.Input<string> {
  switch (grant.role) {
    case 'serviceBusDataSender':
    case 'serviceBusDataReceiver':
      return targets.queueIds[grant.queue];
    case 'storageBlobDataOwner':
      if (targets.ownHostStorageAccountId === undefined) {
        throw new Error('A host storage grant belongs to a function app: pass that app’s own storage account');
      }
      return targets.ownHostStorageAccountId;
    case 'storageBlobDataContributor':
      return targets.deadLetterContainerId;
    case 'monitoringMetricsPublisher':
      return targets.appInsightsId;
    default: {
      const unreachable: never = grant;
      return unreachable;
    }
  }
}

/** A name-based GUID, like Bicep's `guid(...)`: the same parts always give the same id. */
function stableGuid(...parts: pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi.all(parts).apply((values) => {
    const hex = createHash('sha256').update(values.join('|')).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  });
}
