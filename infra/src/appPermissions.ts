import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as cosmosdb from '@pulumi/azure-native/cosmosdb';
import { databaseName, queueNames, type QueueName } from '@commandflow/topology';

/** Built-in Azure RBAC roles; their ids are the same in every tenant. */
export const azureRoleIds = {
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
} as const;

/** Cosmos DB Built-in Data Contributor: a Cosmos DB data-plane role, not an Azure RBAC one. */
export const cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002';

/** One role on one resource. Every grant is scoped as narrowly as the role allows. */
export type Grant =
  /** On one queue, never the namespace. */
  | { readonly role: 'serviceBusDataSender' | 'serviceBusDataReceiver'; readonly queue: QueueName }
  /** On the commandflow database (Cosmos DB data plane). */
  | { readonly role: 'cosmosDataContributor' }
  /** On the function apps' storage account: host storage and deployment containers. */
  | { readonly role: 'storageBlobDataOwner' }
  /** On the Application Insights component, whose local auth is off. */
  | { readonly role: 'monitoringMetricsPublisher' };

/** What the Functions host needs to start and report: every app has these. */
const functionsHost: readonly Grant[] = [{ role: 'storageBlobDataOwner' }, { role: 'monitoringMetricsPublisher' }];

/** Least privilege of each function app: the one table the program and the tests read. */
export const appPermissions = {
  intake: [
    ...functionsHost,
    { role: 'cosmosDataContributor' },
    { role: 'serviceBusDataReceiver', queue: queueNames.incoming },
    { role: 'serviceBusDataSender', queue: queueNames.validate },
  ],
  validator: [
    ...functionsHost,
    { role: 'cosmosDataContributor' },
    { role: 'serviceBusDataReceiver', queue: queueNames.validate },
    { role: 'serviceBusDataSender', queue: queueNames.execute },
  ],
  executor: [
    ...functionsHost,
    { role: 'cosmosDataContributor' },
    { role: 'serviceBusDataReceiver', queue: queueNames.execute },
  ],
} as const satisfies Record<string, readonly Grant[]>;

export type AppName = keyof typeof appPermissions;

/** The Event Grid topic's identity delivers incoming commands and may do nothing else. */
export const commandTopicPermissions: readonly Grant[] = [
  { role: 'serviceBusDataSender', queue: queueNames.incoming },
];

/** The resources grants point at. */
export interface GrantTargets {
  /** Subscription whose built-in role definitions are referenced. */
  readonly subscriptionId: pulumi.Input<string>;
  readonly queueIds: Readonly<Record<QueueName, pulumi.Input<string>>>;
  readonly storageAccountId: pulumi.Input<string>;
  readonly appInsightsId: pulumi.Input<string>;
  readonly cosmos: {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly accountName: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
  };
}

/**
 * Creates one role assignment per grant for `principalId` (a managed identity's principal id).
 * Names are GUIDs derived from scope, role and principal, so a re-run never duplicates them.
 */
export function grantAccess(
  name: string,
  principalId: pulumi.Input<string>,
  grants: readonly Grant[],
  targets: GrantTargets,
  opts?: pulumi.CustomResourceOptions,
): pulumi.CustomResource[] {
  return grants.map((grant) => {
    const resourceName = 'queue' in grant ? `${name}-${grant.role}-${grant.queue}` : `${name}-${grant.role}`;
    if (grant.role === 'cosmosDataContributor') {
      const { resourceGroupName, accountName, accountId } = targets.cosmos;
      const scope = pulumi.interpolate`${accountId}/dbs/${databaseName}`;
      return new cosmosdb.SqlResourceSqlRoleAssignment(
        resourceName,
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
      resourceName,
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

function rbacScope(grant: Exclude<Grant, { role: 'cosmosDataContributor' }>, targets: GrantTargets): pulumi.Input<string> {
  switch (grant.role) {
    case 'serviceBusDataSender':
    case 'serviceBusDataReceiver':
      return targets.queueIds[grant.queue];
    case 'storageBlobDataOwner':
      return targets.storageAccountId;
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
