import * as pulumi from '@pulumi/pulumi';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as storage from '@pulumi/azure-native/storage';
import * as web from '@pulumi/azure-native/web';
import { appSettingNames, connectionNames, databaseName } from '@commandflow/topology';
import { appPermissions, grantAccess, type AppName, type GrantTargets } from './appPermissions';
import type { Placement } from './config';
import { hostSettingNames, managedIdentityCredential } from './hostSettings';

export interface FunctionAppArgs extends Placement {
  /** Host storage and home of the app's deployment container. */
  readonly storageAccount: storage.StorageAccount;
  readonly appInsightsConnectionString: pulumi.Input<string>;
  /** `<namespace>.servicebus.windows.net`. */
  readonly serviceBusNamespace: pulumi.Input<string>;
  /** `https://<account>.documents.azure.com:443/`. */
  readonly cosmosEndpoint: pulumi.Input<string>;
  readonly maxDeliveryCount: number;
  /** Flex Consumption scale-out limit. */
  readonly maximumInstanceCount: number;
  /** Where the app's grants (`appPermissions[app]`) point. */
  readonly grantTargets: GrantTargets;
}

/** Node.js version of the Flex Consumption runtime; the apps are built for Node 20. */
const nodeVersion = '20';
/** Flex Consumption instance size: 512, 2048 or 4096 MB. */
const instanceMemoryMB = 2048;

/**
 * One commandflow function app on Flex Consumption: its own plan (Flex allows one app per plan),
 * user-assigned identity with exactly the grants of `appPermissions`, deployment container, and
 * identity-based app settings only; publishing with basic-auth passwords is off.
 */
export class CommandflowFunctionApp extends pulumi.ComponentResource {
  readonly identity: managedidentity.UserAssignedIdentity;
  readonly site: web.WebApp;

  constructor(app: AppName, args: FunctionAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('commandflow:infra:FunctionApp', app, {}, opts);
    const name = `${args.namePrefix}-${app}`;
    const { resourceGroupName, storageAccount } = args;
    const parent = { parent: this };

    this.identity = new managedidentity.UserAssignedIdentity(`${name}-id`, { resourceGroupName }, parent);
    const clientId = this.identity.clientId;
    const roleAssignments = grantAccess(name, this.identity.principalId, appPermissions[app], args.grantTargets, parent);

    const deploymentContainer = new storage.BlobContainer(
      `${name}-deployment`,
      { resourceGroupName, accountName: storageAccount.name, containerName: `${app}-deployment`, publicAccess: 'None' },
      parent,
    );
    const plan = new web.AppServicePlan(
      `${name}-plan`,
      { resourceGroupName, kind: 'functionapp', reserved: true, sku: { name: 'FC1', tier: 'FlexConsumption' } },
      parent,
    );

    /** `<connection>__credential` and `__clientId`: the host connects with this app's identity. */
    const byIdentity = (connection: string) => [
      { name: `${connection}__credential`, value: managedIdentityCredential },
      { name: `${connection}__clientId`, value: clientId },
    ];

    this.site = new web.WebApp(
      name,
      {
        resourceGroupName,
        kind: 'functionapp,linux',
        serverFarmId: plan.id,
        httpsOnly: true,
        identity: { type: 'UserAssigned', userAssignedIdentities: [this.identity.id] },
        functionAppConfig: {
          deployment: {
            storage: {
              type: 'blobContainer',
              value: pulumi.interpolate`${storageAccount.primaryEndpoints.blob}${deploymentContainer.name}`,
              authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: this.identity.id },
            },
          },
          runtime: { name: 'node', version: nodeVersion },
          scaleAndConcurrency: { maximumInstanceCount: args.maximumInstanceCount, instanceMemoryMB },
        },
        // Only what Flex Consumption accepts: it rejects several siteConfig properties (ftpsState among them).
        siteConfig: {
          minTlsVersion: '1.2',
          scmMinTlsVersion: '1.2',
          appSettings: [
            { name: `${hostSettingNames.storageConnection}__accountName`, value: storageAccount.name },
            ...byIdentity(hostSettingNames.storageConnection),
            { name: hostSettingNames.appInsightsConnectionString, value: args.appInsightsConnectionString },
            { name: hostSettingNames.appInsightsAuthentication, value: pulumi.interpolate`Authorization=AAD;ClientId=${clientId}` },
            { name: appSettingNames.azureClientId, value: clientId },
            { name: appSettingNames.serviceBusNamespace, value: args.serviceBusNamespace },
            ...byIdentity(connectionNames.serviceBus),
            { name: appSettingNames.cosmosEndpoint, value: args.cosmosEndpoint },
            ...byIdentity(connectionNames.cosmos),
            { name: appSettingNames.cosmosDatabase, value: databaseName },
            { name: appSettingNames.maxDeliveryCount, value: String(args.maxDeliveryCount) },
          ],
        },
      },
      // The host reads its storage and sends telemetry as soon as it starts: grant first.
      { parent: this, dependsOn: roleAssignments },
    );

    // No publishing passwords: zip deploys authenticate with Entra ID (FTP does not exist on Flex).
    new web.WebAppScmAllowed(`${name}-scm-basic-auth`, { resourceGroupName, name: this.site.name, allow: false }, parent);
    this.registerOutputs({ siteName: this.site.name, defaultHostName: this.site.defaultHostName });
  }
}
