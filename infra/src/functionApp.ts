import * as pulumi from '@pulumi/pulumi';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as storage from '@pulumi/azure-native/storage';
import * as web from '@pulumi/azure-native/web';
import { appSettingNames, connectionNames, databaseName, functionsRuntime } from '@commandflow/topology';
import { appPermissions, grantAccess, type AppName, type GrantTargets } from './appPermissions';
import type { Placement } from './config';
import { hostSettingNames, managedIdentityCredential } from './hostSettings';
import { createStorageAccount } from './storage';

/** App Service authentication (Easy Auth v2) with Microsoft Entra ID in front of an app's HTTP functions. */
export interface EntraAuthentication {
  /** Application (client) id of the Entra app registration that callers request tokens for. */
  readonly clientId: pulumi.Input<string>;
  readonly tenantId: pulumi.Input<string>;
}

/**
 * Paths App Service authentication lets through without a token: the Functions host's extension
 * webhooks (Event Grid delivery and its validation handshake, Service Bus), which their services
 * call with the extension's system key instead of an Entra ID token.
 */
export const unauthenticatedPaths = ['/runtime/webhooks/eventgrid', '/runtime/webhooks/servicebus'] as const;

export interface FunctionAppArgs extends Placement {
  readonly appInsightsConnectionString: pulumi.Input<string>;
  /** `<namespace>.servicebus.windows.net`. */
  readonly serviceBusNamespace: pulumi.Input<string>;
  /** `https://<account>.documents.azure.com:443/`. */
  readonly cosmosEndpoint: pulumi.Input<string>;
  readonly maxDeliveryCount: number;
  /** Flex Consumption scale-out limit. */
  readonly maximumInstanceCount: number;
  /** Where the app's grants (`appPermissions[app]`) point; its own host storage is added here. */
  readonly grantTargets: GrantTargets;
  /** Require an Entra ID token on every HTTP request (besides the function key). */
  readonly authentication?: EntraAuthentication;
}
/** Flex Consumption instance size: 512, 2048 or 4096 MB. */
const instanceMemoryMB = 2048;

/**
 * One commandflow function app on Flex Consumption: its own plan (Flex allows one app per plan),
 * its own host storage account (deployment package, host locks, function keys: no other app's
 * identity may touch them), a user-assigned identity with exactly the grants of `appPermissions`,
 * and identity-based app settings only; publishing with basic-auth passwords is off.
 */
export class CommandflowFunctionApp extends pulumi.ComponentResource {
  readonly identity: managedidentity.UserAssignedIdentity;
  readonly hostStorage: storage.StorageAccount;
  readonly site: web.WebApp;

  constructor(app: AppName, args: FunctionAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('commandflow:infra:FunctionApp', app, {}, opts);
    const name = `${args.namePrefix}-${app}`;
    const { resourceGroupName } = args;
    const parent = { parent: this };

    // e.g. cmdflowstin: storage account names are letters and digits only, short enough for Pulumi's suffix.
    const storageAccount = createStorageAccount(`${args.namePrefix}st${app.slice(0, 2)}`, { resourceGroupName }, parent);
    this.hostStorage = storageAccount;
    this.identity = new managedidentity.UserAssignedIdentity(`${name}-id`, { resourceGroupName }, parent);
    const clientId = this.identity.clientId;
    const roleAssignments = grantAccess(
      name,
      this.identity.principalId,
      appPermissions[app],
      { ...args.grantTargets, ownHostStorageAccountId: storageAccount.id },
      parent,
    );

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
          runtime: { name: functionsRuntime.name, version: functionsRuntime.version },
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
            ...(args.authentication ? [{ name: appSettingNames.appServiceAuthentication, value: 'true' }] : []),
          ],
        },
      },
      // The host reads its storage and sends telemetry as soon as it starts: grant first.
      { parent: this, dependsOn: roleAssignments },
    );

    // No publishing passwords: zip deploys authenticate with Entra ID (FTP does not exist on Flex).
    new web.WebAppScmAllowed(`${name}-scm-basic-auth`, { resourceGroupName, name: this.site.name, allow: false }, parent);
    if (args.authentication) requireEntraAuthentication(`${name}-auth`, resourceGroupName, this.site, args.authentication, parent);
    this.registerOutputs({ siteName: this.site.name, defaultHostName: this.site.defaultHostName });
  }
}

/**
 * App Service authentication v2 with Microsoft Entra ID: every request needs a valid token for
 * the app registration (401 otherwise), except on `unauthenticatedPaths`. The platform then sets
 * `x-ms-client-principal` itself and strips any copy a caller sent, which is what makes it safe to
 * record as the actor.
 */
function requireEntraAuthentication(
  name: string,
  resourceGroupName: pulumi.Input<string>,
  site: web.WebApp,
  { clientId, tenantId }: EntraAuthentication,
  opts: pulumi.CustomResourceOptions,
): web.WebAppAuthSettingsV2 {
  return new web.WebAppAuthSettingsV2(
    name,
    {
      resourceGroupName,
      name: site.name,
      platform: { enabled: true },
      globalValidation: {
        requireAuthentication: true,
        unauthenticatedClientAction: 'Return401',
        excludedPaths: [...unauthenticatedPaths],
      },
      identityProviders: {
        azureActiveDirectory: {
          enabled: true,
          registration: { clientId, openIdIssuer: pulumi.interpolate`https://login.microsoftonline.com/${tenantId}/v2.0` },
          validation: { allowedAudiences: [clientId, pulumi.interpolate`api://${clientId}`] },
        },
      },
      httpSettings: { requireHttps: true },
    },
    opts,
  );
}
