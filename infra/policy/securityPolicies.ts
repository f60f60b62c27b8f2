import {
  validateResourceOfType,
  validateStackResourcesOfType,
  type ReportViolation,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from '@pulumi/policy';
import * as applicationinsights from '@pulumi/azure-native/applicationinsights';
import * as authorization from '@pulumi/azure-native/authorization';
import * as cosmosdb from '@pulumi/azure-native/cosmosdb';
import * as eventgrid from '@pulumi/azure-native/eventgrid';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import * as servicebus from '@pulumi/azure-native/servicebus';
import * as storage from '@pulumi/azure-native/storage';
import * as web from '@pulumi/azure-native/web';
import { hostSettingNames } from '../src/hostSettings';

interface AppSetting {
  readonly name?: string;
  readonly value?: string;
}

const credentialName = /password|secret|connection_?string|instrumentation_?key|(^|_)(access_?|account_?)?key$|sas_?token/i;
const credentialValue = /(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|InstrumentationKey)=|[?&]sig=/i;

/**
 * Names of the settings that hold a key, password, SAS or connection string. The one exception is
 * the Application Insights connection string when telemetry authenticates with Entra ID (its
 * instrumentation key is then an identifier; `local-auth-disabled` makes sure keys are refused).
 */
export function credentialSettings(settings: readonly AppSetting[]): string[] {
  const byName = new Map(settings.map(({ name, value }) => [name, value]));
  const telemetryByIdentity = /(^|;)Authorization=AAD(;|$)/.test(byName.get(hostSettingNames.appInsightsAuthentication) ?? '');
  return settings
    .filter(({ name = '', value = '' }) => credentialName.test(name) || credentialValue.test(value))
    .filter(({ name }) => !(name === hostSettingNames.appInsightsConnectionString && telemetryByIdentity))
    .map(({ name = '' }) => name);
}

function reportCredentials(settings: readonly AppSetting[], report: ReportViolation): void {
  for (const name of credentialSettings(settings)) {
    report(`App setting '${name}' holds a credential; use an identity-based connection (<name>__credential = managedidentity).`);
  }
}

const minimumTls = {
  storage: ['TLS1_2', 'TLS1_3'],
  cosmos: ['Tls12', 'Tls13'],
  dotted: ['1.2', '1.3'],
} as const;

function requireTls(actual: string | undefined, allowed: readonly string[], what: string, report: ReportViolation): void {
  if (actual === undefined || !allowed.includes(actual)) {
    report(`${what} must require TLS 1.2 or later (found ${actual ?? 'the service default'}).`);
  }
}

/** The security rules of commandflow's infrastructure; every policy is mandatory. */
export const securityPolicies: ResourceValidationPolicy[] = [
  {
    name: 'app-settings-hold-no-credentials',
    description: 'Function apps reach every service by managed identity: no key, password, SAS or connection string in settings.',
    enforcementLevel: 'mandatory',
    validateResource: [
      validateResourceOfType(web.WebApp, (site, _args, report) => {
        reportCredentials(site.siteConfig?.appSettings ?? [], report);
        if ((site.siteConfig?.connectionStrings ?? []).length > 0) report('Site connection strings are not allowed.');
      }),
      validateResourceOfType(web.WebAppApplicationSettings, (settings, _args, report) =>
        reportCredentials(
          Object.entries(settings.properties ?? {}).map(([name, value]) => ({ name, value })),
          report,
        ),
      ),
      validateResourceOfType(web.WebAppConnectionStrings, (_settings, _args, report) =>
        report('Site connection strings are not allowed.'),
      ),
    ],
  },
  {
    name: 'local-auth-disabled',
    description: 'Keys and SAS are refused: Cosmos DB, Service Bus, Event Grid and monitoring accept Entra ID only.',
    enforcementLevel: 'mandatory',
    validateResource: [
      validateResourceOfType(cosmosdb.DatabaseAccount, (account, _args, report) => {
        if (account.disableLocalAuth !== true) report('Cosmos DB account must set disableLocalAuth.');
      }),
      validateResourceOfType(servicebus.Namespace, (namespace, _args, report) => {
        if (namespace.disableLocalAuth !== true) report('Service Bus namespace must set disableLocalAuth.');
      }),
      validateResourceOfType(eventgrid.Topic, (topic, _args, report) => {
        if (topic.disableLocalAuth !== true) report('Event Grid topic must set disableLocalAuth.');
      }),
      validateResourceOfType(applicationinsights.Component, (component, _args, report) => {
        if (component.disableLocalAuth !== true) report('Application Insights component must set disableLocalAuth.');
      }),
      validateResourceOfType(operationalinsights.Workspace, (workspace, _args, report) => {
        if (workspace.features?.disableLocalAuth !== true) report('Log Analytics workspace must set features.disableLocalAuth.');
      }),
    ],
  },
  {
    name: 'http-functions-not-anonymous',
    description: 'HTTP-triggered functions declared as resources require a key (authLevel function or admin).',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(web.WebAppFunction, (fn, _args, report) => {
      const bindings: { type?: string; authLevel?: string }[] = fn.config?.bindings ?? [];
      for (const binding of bindings) {
        if (binding.type?.toLowerCase() === 'httptrigger' && binding.authLevel?.toLowerCase() === 'anonymous') {
          report(`Function '${fn.functionName ?? fn.name}' has an anonymous HTTP trigger.`);
        }
      }
    }),
  },
  {
    name: 'tls-1-2-minimum',
    description: 'Every endpoint requires TLS 1.2 or later, and HTTPS only where plain HTTP exists.',
    enforcementLevel: 'mandatory',
    validateResource: [
      validateResourceOfType(storage.StorageAccount, (account, _args, report) => {
        requireTls(account.minimumTlsVersion, minimumTls.storage, 'Storage account', report);
        if (account.enableHttpsTrafficOnly === false) report('Storage account must accept HTTPS only.');
      }),
      validateResourceOfType(web.WebApp, (site, _args, report) => {
        requireTls(site.siteConfig?.minTlsVersion, minimumTls.dotted, 'Function app', report);
        if (site.httpsOnly !== true) report('Function app must set httpsOnly.');
      }),
      validateResourceOfType(cosmosdb.DatabaseAccount, (account, _args, report) =>
        requireTls(account.minimalTlsVersion, minimumTls.cosmos, 'Cosmos DB account', report),
      ),
      validateResourceOfType(servicebus.Namespace, (namespace, _args, report) =>
        requireTls(namespace.minimumTlsVersion, minimumTls.dotted, 'Service Bus namespace', report),
      ),
      validateResourceOfType(eventgrid.Topic, (topic, _args, report) =>
        requireTls(topic.minimumTlsVersionAllowed, minimumTls.dotted, 'Event Grid topic', report),
      ),
    ],
  },
  {
    name: 'no-public-blob-access',
    description: 'No anonymous read access to blobs, on the account or on any container.',
    enforcementLevel: 'mandatory',
    validateResource: [
      validateResourceOfType(storage.StorageAccount, (account, _args, report) => {
        if (account.allowBlobPublicAccess !== false) report('Storage account must set allowBlobPublicAccess to false.');
      }),
      validateResourceOfType(storage.BlobContainer, (container, _args, report) => {
        if (container.publicAccess !== undefined && container.publicAccess !== 'None') {
          report(`Blob container allows public access '${container.publicAccess}'.`);
        }
      }),
    ],
  },
  {
    name: 'storage-shared-key-disabled',
    description: 'Storage is reached by Entra ID only: shared keys (and the SAS signed with them) are refused.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(storage.StorageAccount, (account, _args, report) => {
      if (account.allowSharedKeyAccess !== false) report('Storage account must set allowSharedKeyAccess to false.');
    }),
  },
  {
    name: 'publishing-basic-auth-disabled',
    description: 'Apps are deployed with Entra ID, never with publishing user names and passwords.',
    enforcementLevel: 'mandatory',
    validateResource: [web.WebAppScmAllowed, web.WebAppFtpAllowed].map((policyType) =>
      validateResourceOfType(policyType, (policy, _args, report) => {
        if (policy.allow !== false) report('Basic-auth publishing credentials must be disabled.');
      }),
    ),
  },
];

/** Storage data roles: whoever holds one on an account reads (or writes) every blob in it. */
const storageDataRoleIds = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b', // Storage Blob Data Owner
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe', // Storage Blob Data Contributor
  '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', // Storage Blob Data Reader
];

/** The storage account a resource id lies in (`.../storageAccounts/<name>`), if it does. */
const storageAccountOf = (resourceId: string): string | undefined =>
  /^.*\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+/i.exec(resourceId)?.[0].toLowerCase();

/** What a function app says about its storage: as inputs (preview) or outputs (after `up`), hence loosely typed. */
interface SiteStorageView {
  readonly name?: string;
  readonly siteConfig?: { readonly appSettings?: readonly AppSetting[] };
  readonly functionAppConfig?: { readonly deployment?: { readonly storage?: { readonly value?: string } } };
}

/** The host storage accounts a function app's settings and deployment container point at. */
function hostStorageAccountsOf(site: SiteStorageView): string[] {
  const byName = new Map((site.siteConfig?.appSettings ?? []).map(({ name, value }) => [name, value]));
  const hostStorage = byName.get(`${hostSettingNames.storageConnection}__accountName`);
  const deploymentUrl = site.functionAppConfig?.deployment?.storage?.value;
  const deploymentAccount = deploymentUrl ? /^https:\/\/([a-z0-9]+)\./.exec(deploymentUrl)?.[1] : undefined;
  return [...new Set([hostStorage, deploymentAccount].filter((account): account is string => account !== undefined))];
}

/**
 * Isolation between the function apps: none can touch another's code, keys or data it does not
 * use. These look at the whole stack (which app uses which account, who holds which role).
 */
export const isolationPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  {
    name: 'host-storage-per-app',
    description:
      "Each function app has its own host storage (deployment package, host locks, function keys), and no storage account grants blob data roles to more than one identity.",
    enforcementLevel: 'mandatory',
    validateStack: validateStackResourcesOfType(web.WebApp, (sites, _args, report) => {
      const users = new Map<string, string[]>();
      for (const site of sites as SiteStorageView[]) {
        for (const account of hostStorageAccountsOf(site)) users.set(account, [...(users.get(account) ?? []), site.name ?? '?']);
      }
      for (const [account, apps] of users) {
        if (apps.length > 1) report(`Function apps ${apps.join(', ')} share host storage account '${account}'.`);
      }
    }),
  },
  {
    name: 'storage-data-roles-per-account',
    description: 'Blob data roles are granted on one storage account (or a container in it), never above, and each account serves one identity.',
    enforcementLevel: 'mandatory',
    validateStack: validateStackResourcesOfType(authorization.RoleAssignment, (assignments, _args, report) => {
      const principals = new Map<string, Set<string>>();
      for (const assignment of assignments) {
        const roleId = String(assignment.roleDefinitionId ?? '').split('/').pop() ?? '';
        if (!storageDataRoleIds.includes(roleId)) continue;
        const account = storageAccountOf(String(assignment.scope ?? ''));
        if (account === undefined) {
          report(`Storage data role ${roleId} is granted on '${assignment.scope}', above a single storage account.`);
          continue;
        }
        principals.set(account, new Set([...(principals.get(account) ?? []), String(assignment.principalId)]));
      }
      for (const [account, holders] of principals) {
        if (holders.size > 1) report(`Storage account '${account}' grants blob data roles to ${holders.size} identities: ${[...holders].join(', ')}.`);
      }
    }),
  },
  {
    name: 'cosmos-grants-per-container',
    description: 'Cosmos DB data-plane roles are granted on the containers an identity uses, never on the account or a whole database.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(cosmosdb.SqlResourceSqlRoleAssignment, (assignment, _args, report) => {
      if (!/\/dbs\/[^/]+\/colls\/[^/]+$/.test(String(assignment.scope ?? ''))) {
        report(`Cosmos DB role assignment scope '${assignment.scope}' is not a single container (<account>/dbs/<db>/colls/<container>).`);
      }
    }),
  },
];
