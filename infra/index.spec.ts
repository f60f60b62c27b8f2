import * as pulumi from '@pulumi/pulumi';
import type * as applicationinsights from '@pulumi/azure-native/applicationinsights';
import type * as authorization from '@pulumi/azure-native/authorization';
import type * as cosmosdb from '@pulumi/azure-native/cosmosdb';
import type * as eventgrid from '@pulumi/azure-native/eventgrid';
import type * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import type * as servicebus from '@pulumi/azure-native/servicebus';
import type * as storage from '@pulumi/azure-native/storage';
import type * as web from '@pulumi/azure-native/web';
import { containers, databaseName, functionsRuntime, queueNames } from '@commandflow/topology';
import { credentialSettings, isolationPolicies, securityPolicies } from './policy/securityPolicies';
import { appPermissions, azureRoleIds, commandTopicPermissions, cosmosDataContributorRoleId, type AppName, type Grant } from './src/appPermissions';
import { commandDeliveryRetries, deadLetterContainerName } from './src/eventGrid';
import { unauthenticatedPaths } from './src/functionApp';
import { stackViolationsOf, violationsOf } from './testing/policyRunner';
import { mockSubscriptionId, recordResources, settled, valueOf, type RecordedResource } from './testing/recordingMocks';

let recorded: RecordedResource[];
let program: typeof import('./index.js');

beforeAll(async () => {
  recorded = await recordResources({ location: 'westeurope', maxDeliveryCount: '5', lockDuration: 'PT2M', intakeAuthClientId });
  program = await import('./index.js');
  await settled();
}, 60_000);

const apps = Object.keys(appPermissions) as AppName[];
const intakeAuthClientId = '11111111-2222-4333-8444-555555555555';
/** Each app's own host storage account, e.g. cmdflowstin. */
const hostStorageOf = (app: AppName) => `cmdflowst${app.slice(0, 2)}`;

function ofType(type: string): RecordedResource[] {
  return recorded.filter((resource) => resource.type === type);
}

function named(name: string): RecordedResource {
  const resource = recorded.find((candidate) => candidate.name === name);
  if (!resource) throw new Error(`no resource named ${name}`);
  return resource;
}

function nameOfId(id: unknown): string {
  return recorded.find((resource) => resource.id === id)?.name ?? `unknown id ${String(id)}`;
}

/** The inputs of a recorded resource, typed as its args. */
function inputsOf<TArgs>(resource: RecordedResource): pulumi.Unwrap<TArgs> {
  return resource.inputs as pulumi.Unwrap<TArgs>;
}

function appSettings(app: AppName): Record<string, string | undefined> {
  const site = inputsOf<web.WebAppArgs>(named(`cmdflow-${app}`));
  return Object.fromEntries((site.siteConfig?.appSettings ?? []).map(({ name, value }) => [name, value]));
}

describe('Service Bus', () => {
  it('is a Standard namespace that refuses SAS keys', () => {
    const [namespace] = ofType('azure-native:servicebus:Namespace').map(inputsOf<servicebus.NamespaceArgs>);
    expect(namespace).toMatchObject({ sku: { name: 'Standard', tier: 'Standard' }, disableLocalAuth: true, minimumTlsVersion: '1.2' });
  });

  it('has the queues validate, execute and incoming, each with duplicate detection, dead-lettering and the config numbers', () => {
    const queues = ofType('azure-native:servicebus:Queue').map(inputsOf<servicebus.QueueArgs>);
    expect(queues.map((queue) => queue.queueName).sort()).toEqual(['execute', 'incoming', 'validate']);
    for (const queue of queues) {
      expect(queue).toMatchObject({
        namespaceName: 'cmdflow-bus',
        requiresDuplicateDetection: true,
        duplicateDetectionHistoryTimeWindow: 'PT10M',
        deadLetteringOnMessageExpiration: true,
        maxDeliveryCount: 5,
        lockDuration: 'PT2M',
      });
    }
  });

  it('replaces a queue (deleting the old one first: same name) when duplicate detection changes, which Azure cannot update in place', () => {
    for (const queue of ofType('azure-native:servicebus:Queue')) {
      expect(queue.options).toEqual({ replaceOnChanges: ['requiresDuplicateDetection'], deleteBeforeReplace: true });
    }
  });
});

describe('Cosmos DB', () => {
  it('is a serverless NoSQL account with keys disabled', () => {
    const account = inputsOf<cosmosdb.DatabaseAccountArgs>(named('cmdflow-cosmos'));
    expect(account).toMatchObject({
      capabilities: [{ name: 'EnableServerless' }],
      disableLocalAuth: true,
      disableKeyBasedMetadataWriteAccess: true,
      minimalTlsVersion: 'Tls12',
      locations: [{ locationName: 'westeurope', failoverPriority: 0 }],
    });
  });

  it('has the database and the events / views / leases / usage containers of the shared definitions', () => {
    const database = inputsOf<cosmosdb.SqlResourceSqlDatabaseArgs>(named(`cmdflow-${databaseName}`));
    expect(database).toMatchObject({ databaseName, resource: { id: databaseName } });
    expect(database.options).toBeUndefined();

    const created = ofType('azure-native:cosmosdb:SqlResourceSqlContainer').map(inputsOf<cosmosdb.SqlResourceSqlContainerArgs>);
    expect(created.map((container) => container.containerName).sort()).toEqual(['events', 'leases', 'usage', 'views']);
    for (const definition of containers) {
      const container = created.find((candidate) => candidate.containerName === definition.name);
      expect(container).toMatchObject({
        accountName: 'cmdflow-cosmos',
        databaseName,
        resource: {
          id: definition.name,
          partitionKey: { paths: [definition.partitionKeyPath], kind: 'Hash' },
          indexingPolicy: {
            indexingMode: definition.indexingPolicy.indexingMode,
            automatic: definition.indexingPolicy.automatic,
            includedPaths: definition.indexingPolicy.includedPaths,
            excludedPaths: definition.indexingPolicy.excludedPaths,
          },
        },
      });
      expect(container?.resource.indexingPolicy?.compositeIndexes).toEqual(definition.indexingPolicy.compositeIndexes);
    }
    expect(named('cmdflow-events').inputs).toMatchObject({ resource: { partitionKey: { paths: ['/streamId'] } } });
    // The sweeper's queries by last change (oldest first) are served by an index, never a scan.
    const views = inputsOf<cosmosdb.SqlResourceSqlContainerArgs>(named('cmdflow-views'));
    expect(views.resource.indexingPolicy?.includedPaths).toContainEqual({ path: '/updatedAt/?' });
    expect(views.resource.indexingPolicy?.compositeIndexes).toContainEqual([
      { path: '/updatedAt', order: 'ascending' },
      { path: '/commandId', order: 'ascending' },
    ]);
  });
});

describe('function apps', () => {
  it.each(apps)('%s runs on its own Flex Consumption plan with Node 22, deployed from its own storage by identity', (app) => {
    const site = inputsOf<web.WebAppArgs>(named(`cmdflow-${app}`));
    const plan = inputsOf<web.AppServicePlanArgs>(named(`cmdflow-${app}-plan`));
    const container = inputsOf<storage.BlobContainerArgs>(named(`cmdflow-${app}-deployment`));
    const identityId = named(`cmdflow-${app}-id`).id;

    expect(functionsRuntime).toEqual({ name: 'node', version: '22' });
    expect(plan).toMatchObject({ kind: 'functionapp', reserved: true, sku: { name: 'FC1', tier: 'FlexConsumption' } });
    expect(container).toMatchObject({ accountName: hostStorageOf(app), containerName: `${app}-deployment`, publicAccess: 'None' });
    expect(site).toMatchObject({
      kind: 'functionapp,linux',
      serverFarmId: named(`cmdflow-${app}-plan`).id,
      httpsOnly: true,
      identity: { type: 'UserAssigned', userAssignedIdentities: [identityId] },
      functionAppConfig: {
        deployment: {
          storage: {
            type: 'blobContainer',
            value: `https://${hostStorageOf(app)}.blob.core.windows.net/${app}-deployment`,
            authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId },
          },
        },
        runtime: { name: 'node', version: '22' },
        scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 },
      },
    });
  });

  it.each(apps)('%s app settings point at the right resources, through its own identity', (app) => {
    const clientId = `cmdflow-${app}-id-client`;
    expect(appSettings(app)).toEqual({
      AzureWebJobsStorage__accountName: hostStorageOf(app),
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: clientId,
      APPLICATIONINSIGHTS_CONNECTION_STRING: expect.stringContaining('IngestionEndpoint=https://cmdflow-insights.'),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${clientId}`,
      AZURE_CLIENT_ID: clientId,
      ServiceBusConnection__fullyQualifiedNamespace: 'cmdflow-bus.servicebus.windows.net',
      ServiceBusConnection__credential: 'managedidentity',
      ServiceBusConnection__clientId: clientId,
      COSMOS__accountEndpoint: 'https://cmdflow-cosmos.documents.azure.com:443/',
      COSMOS__credential: 'managedidentity',
      COSMOS__clientId: clientId,
      COSMOS_DATABASE: databaseName,
      MAX_DELIVERY_COUNT: '5',
      ...(app === 'intake' ? { COMMANDFLOW_APP_SERVICE_AUTH: 'true' } : {}),
    });
  });

  it('intake requires an Entra ID token on every request except the extension webhooks; the other apps serve no HTTP', () => {
    const auth = ofType('azure-native:web:WebAppAuthSettingsV2').map(inputsOf<web.WebAppAuthSettingsV2Args>);
    expect(auth).toEqual([
      {
        resourceGroupName: 'cmdflow-rg',
        name: 'cmdflow-intake',
        platform: { enabled: true },
        globalValidation: {
          requireAuthentication: true,
          unauthenticatedClientAction: 'Return401',
          excludedPaths: ['/runtime/webhooks/eventgrid', '/runtime/webhooks/servicebus'],
        },
        identityProviders: {
          azureActiveDirectory: {
            enabled: true,
            registration: { clientId: intakeAuthClientId, openIdIssuer: 'https://login.microsoftonline.com/tenant/v2.0' },
            validation: { allowedAudiences: [intakeAuthClientId, `api://${intakeAuthClientId}`] },
          },
        },
        httpSettings: { requireHttps: true },
      },
    ]);
    expect(unauthenticatedPaths).toEqual(['/runtime/webhooks/eventgrid', '/runtime/webhooks/servicebus']);
  });
});

/** `<role>@<resource>` for every role assignment held by `principalId`. */
function assignmentsOf(principalId: string): string[] {
  const roleNames = new Map<string, string>(Object.entries(azureRoleIds).map(([role, id]) => [id, role]));
  const rbac = ofType('azure-native:authorization:RoleAssignment')
    .map(inputsOf<authorization.RoleAssignmentArgs>)
    .filter((assignment) => assignment.principalId === principalId)
    .map((assignment) => {
      const roleId = assignment.roleDefinitionId.split('/').pop() ?? '';
      expect(assignment.roleDefinitionId).toBe(`/subscriptions/${mockSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`);
      expect(assignment.principalType).toBe('ServicePrincipal');
      return `${roleNames.get(roleId) ?? roleId}@${nameOfId(assignment.scope)}`;
    });
  const cosmos = ofType('azure-native:cosmosdb:SqlResourceSqlRoleAssignment')
    .map(inputsOf<cosmosdb.SqlResourceSqlRoleAssignmentArgs>)
    .filter((assignment) => assignment.principalId === principalId)
    .map((assignment) => {
      const accountId = named('cmdflow-cosmos').id;
      expect(assignment.roleDefinitionId).toBe(`${accountId}/sqlRoleDefinitions/${cosmosDataContributorRoleId}`);
      return `cosmosDataContributor@${String(assignment.scope).replace(accountId, nameOfId(accountId))}`;
    });
  return [...rbac, ...cosmos].sort();
}

/** What `grants` of `app` (or of no app) should become, in the notation of `assignmentsOf`. */
function expectedAssignments(grants: readonly Grant[], app?: AppName): string[] {
  const target = (grant: Grant): string => {
    switch (grant.role) {
      case 'serviceBusDataSender':
      case 'serviceBusDataReceiver':
        return `cmdflow-${grant.queue}`;
      case 'storageBlobDataOwner':
        return app ? hostStorageOf(app) : 'no host storage: not an app';
      case 'storageBlobDataContributor':
        return `cmdflow-${deadLetterContainerName}`;
      case 'monitoringMetricsPublisher':
        return 'cmdflow-insights';
      case 'cosmosDataContributor':
        return `cmdflow-cosmos/dbs/${databaseName}/colls/${grant.container}`;
      default: {
        const unreachable: never = grant;
        return unreachable;
      }
    }
  };
  return grants.map((grant) => `${grant.role}@${target(grant)}`).sort();
}

describe('least privilege', () => {
  it('is, for Service Bus and Cosmos DB, what each app uses: one queue in, one queue out, its own containers (and, for intake, the steps\' dead letters)', () => {
    const dataPlane = (app: AppName) =>
      appPermissions[app].filter((grant) => grant.role !== 'storageBlobDataOwner' && grant.role !== 'monitoringMetricsPublisher');
    expect(dataPlane('intake')).toEqual([
      { role: 'cosmosDataContributor', container: 'events' },
      { role: 'cosmosDataContributor', container: 'views' },
      { role: 'cosmosDataContributor', container: 'leases' },
      { role: 'cosmosDataContributor', container: 'usage' },
      { role: 'serviceBusDataReceiver', queue: queueNames.incoming },
      { role: 'serviceBusDataSender', queue: queueNames.validate },
      { role: 'serviceBusDataReceiver', queue: queueNames.validate },
      { role: 'serviceBusDataReceiver', queue: queueNames.execute },
      { role: 'serviceBusDataSender', queue: queueNames.execute },
    ]);
    expect(dataPlane('validator')).toEqual([
      { role: 'cosmosDataContributor', container: 'events' },
      { role: 'cosmosDataContributor', container: 'usage' },
      { role: 'serviceBusDataReceiver', queue: queueNames.validate },
      { role: 'serviceBusDataSender', queue: queueNames.execute },
    ]);
    expect(dataPlane('executor')).toEqual([
      { role: 'cosmosDataContributor', container: 'events' },
      { role: 'cosmosDataContributor', container: 'usage' },
      { role: 'serviceBusDataReceiver', queue: queueNames.execute },
    ]);
    expect(commandTopicPermissions).toEqual([
      { role: 'serviceBusDataSender', queue: queueNames.incoming },
      { role: 'storageBlobDataContributor', storage: 'deadLetterContainer' },
    ]);
  });

  it.each(apps)("%s's identity holds exactly its grants: one queue, one container, its own host storage or App Insights each", (app) => {
    expect(assignmentsOf(`cmdflow-${app}-id-principal`)).toEqual(expectedAssignments(appPermissions[app], app));
  });

  it("the Event Grid topic's identity may only send to the incoming queue and write to the dead-letter container", () => {
    expect(assignmentsOf('cmdflow-commands-id-principal')).toEqual([
      'serviceBusDataSender@cmdflow-incoming',
      `storageBlobDataContributor@cmdflow-${deadLetterContainerName}`,
    ]);
  });

  it('grants nothing to anyone else', () => {
    const principals = new Set(
      [...ofType('azure-native:authorization:RoleAssignment'), ...ofType('azure-native:cosmosdb:SqlResourceSqlRoleAssignment')].map(
        (assignment) => assignment.inputs['principalId'],
      ),
    );
    expect([...principals].sort()).toEqual(
      [...apps.map((app) => `cmdflow-${app}-id-principal`), 'cmdflow-commands-id-principal'].sort(),
    );
  });
});

describe('isolation between the apps', () => {
  /** Every principal holding any role on `resourceId` or inside it. */
  const holdersOf = (resourceId: string) =>
    ofType('azure-native:authorization:RoleAssignment')
      .map(inputsOf<authorization.RoleAssignmentArgs>)
      .filter((assignment) => String(assignment.scope).startsWith(resourceId))
      .map((assignment) => assignment.principalId);

  it.each(apps)("only %s's identity may touch its host storage (its package, host locks and function keys)", (app) => {
    const account = named(hostStorageOf(app));
    expect(account.type).toBe('azure-native:storage:StorageAccount');
    expect(holdersOf(account.id)).toEqual([`cmdflow-${app}-id-principal`]);
    for (const other of apps.filter((candidate) => candidate !== app)) {
      expect(appSettings(other)['AzureWebJobsStorage__accountName']).not.toBe(hostStorageOf(app));
    }
  });

  it('has one storage account per app plus the dead-letter account, and no other', () => {
    const accounts = ofType('azure-native:storage:StorageAccount').map((account) => account.name);
    expect(accounts.sort()).toEqual([...apps.map(hostStorageOf), 'cmdflowdl'].sort());
  });

  it.each(apps)("%s's Cosmos DB grants name containers, never the account or the whole database", (app) => {
    const scopes = ofType('azure-native:cosmosdb:SqlResourceSqlRoleAssignment')
      .map(inputsOf<cosmosdb.SqlResourceSqlRoleAssignmentArgs>)
      .filter((assignment) => assignment.principalId === `cmdflow-${app}-id-principal`)
      .map((assignment) => String(assignment.scope));
    expect(scopes.length).toBeGreaterThan(0);
    for (const scope of scopes) expect(scope).toMatch(new RegExp(`^cmdflow-cosmos-id/dbs/${databaseName}/colls/(events|views|leases|usage)$`));
  });

  it('passes the isolation policies, which report the stack with one shared host storage account', async () => {
    expect(await stackViolationsOf(isolationPolicies, recorded)).toEqual([]);
    const shared = recorded.map((resource) =>
      resource.name === 'cmdflow-validator'
        ? {
            ...resource,
            inputs: {
              ...resource.inputs,
              functionAppConfig: { deployment: { storage: { value: `https://${hostStorageOf('intake')}.blob.core.windows.net/validator-deployment` } } },
            },
          }
        : resource,
    );
    expect((await stackViolationsOf(isolationPolicies, shared)).map((violation) => violation.policy)).toEqual(['host-storage-per-app']);
  });
});

describe('Event Grid', () => {
  it('delivers the command topic to the incoming queue with the topic identity, no webhook', () => {
    const topic = inputsOf<eventgrid.TopicArgs>(named('cmdflow-commands'));
    const subscription = inputsOf<eventgrid.EventSubscriptionArgs>(named('cmdflow-commands-to-incoming'));
    const identityId = named('cmdflow-commands-id').id;

    expect(topic).toMatchObject({
      inputSchema: 'EventGridSchema',
      disableLocalAuth: true,
      identity: { type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } },
    });
    expect(subscription).toMatchObject({
      scope: named('cmdflow-commands').id,
      deliveryWithResourceIdentity: {
        identity: { type: 'UserAssigned', userAssignedIdentity: identityId },
        destination: {
          endpointType: 'ServiceBusQueue',
          resourceId: named('cmdflow-incoming').id,
          deliveryAttributeMappings: [{ name: 'MessageId', type: 'Dynamic', sourceField: 'id' }],
        },
      },
    });
    expect(subscription.destination).toBeUndefined();
  });

  it('retries a bounded number of times within an hour, then dead-letters to its own container with the topic identity', () => {
    const subscription = inputsOf<eventgrid.EventSubscriptionArgs>(named('cmdflow-commands-to-incoming'));
    expect(commandDeliveryRetries).toEqual({ maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 60 });
    expect(subscription.retryPolicy).toEqual({ maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 60 });
    expect(subscription.deadLetterWithResourceIdentity).toEqual({
      identity: { type: 'UserAssigned', userAssignedIdentity: named('cmdflow-commands-id').id },
      deadLetterDestination: { endpointType: 'StorageBlob', resourceId: named('cmdflowdl').id, blobContainerName: deadLetterContainerName },
    });
    expect(subscription.deadLetterDestination).toBeUndefined();
    expect(inputsOf<storage.BlobContainerArgs>(named(`cmdflow-${deadLetterContainerName}`))).toMatchObject({
      accountName: 'cmdflowdl',
      containerName: deadLetterContainerName,
      publicAccess: 'None',
    });
  });
});

describe('security', () => {
  it('no app setting holds a key, password or connection string (App Insights only with Entra ID telemetry)', () => {
    for (const app of apps) {
      const settings = Object.entries(appSettings(app)).map(([name, value]) => ({ name, value }));
      expect(credentialSettings(settings)).toEqual([]);
    }
    const site = inputsOf<web.WebAppArgs>(named('cmdflow-intake'));
    expect(site.siteConfig?.connectionStrings).toBeUndefined();
    expect(inputsOf<applicationinsights.ComponentArgs>(named('cmdflow-insights')).disableLocalAuth).toBe(true);
  });

  it('local auth is disabled on Cosmos DB, Service Bus, Event Grid and monitoring', () => {
    expect(inputsOf<cosmosdb.DatabaseAccountArgs>(named('cmdflow-cosmos')).disableLocalAuth).toBe(true);
    expect(inputsOf<servicebus.NamespaceArgs>(named('cmdflow-bus')).disableLocalAuth).toBe(true);
    expect(inputsOf<eventgrid.TopicArgs>(named('cmdflow-commands')).disableLocalAuth).toBe(true);
    expect(inputsOf<applicationinsights.ComponentArgs>(named('cmdflow-insights')).disableLocalAuth).toBe(true);
    expect(inputsOf<operationalinsights.WorkspaceArgs>(named('cmdflow-logs')).features?.disableLocalAuth).toBe(true);
  });

  it('HTTP is never anonymous on the platform side: HTTPS only, no anonymous function resource, no basic-auth publishing', () => {
    expect(ofType('azure-native:web:WebAppFunction')).toEqual([]);
    for (const app of apps) {
      expect(inputsOf<web.WebAppArgs>(named(`cmdflow-${app}`)).httpsOnly).toBe(true);
      expect(inputsOf<web.WebAppScmAllowedArgs>(named(`cmdflow-${app}-scm-basic-auth`)).allow).toBe(false);
    }
  });

  it('requires TLS 1.2 everywhere', () => {
    for (const account of ofType('azure-native:storage:StorageAccount')) {
      expect(inputsOf<storage.StorageAccountArgs>(account).minimumTlsVersion).toBe('TLS1_2');
    }
    expect(inputsOf<cosmosdb.DatabaseAccountArgs>(named('cmdflow-cosmos')).minimalTlsVersion).toBe('Tls12');
    expect(inputsOf<servicebus.NamespaceArgs>(named('cmdflow-bus')).minimumTlsVersion).toBe('1.2');
    expect(inputsOf<eventgrid.TopicArgs>(named('cmdflow-commands')).minimumTlsVersionAllowed).toBe('1.2');
    for (const app of apps) {
      expect(inputsOf<web.WebAppArgs>(named(`cmdflow-${app}`)).siteConfig).toMatchObject({ minTlsVersion: '1.2', scmMinTlsVersion: '1.2' });
    }
  });

  it('allows no public blob access and no shared keys on storage', () => {
    for (const account of ofType('azure-native:storage:StorageAccount')) {
      expect(inputsOf<storage.StorageAccountArgs>(account)).toMatchObject({
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        enableHttpsTrafficOnly: true,
      });
    }
    for (const container of ofType('azure-native:storage:BlobContainer')) {
      expect(inputsOf<storage.BlobContainerArgs>(container).publicAccess).toBe('None');
    }
  });

  it('passes every rule of the policy pack', async () => {
    const policies = [...securityPolicies, ...isolationPolicies];
    const violations = (await Promise.all(recorded.map((resource) => violationsOf(policies, resource)))).flat();
    expect(violations).toEqual([]);
    expect(await stackViolationsOf(policies, recorded)).toEqual([]);
  });
});

describe('outputs', () => {
  it('give the intake URL, the topic endpoint and the names the CLI and pipelines need', async () => {
    expect(await valueOf(program.intakeUrl)).toBe('https://cmdflow-intake.azurewebsites.net/api');
    expect(await valueOf(program.eventGridTopicEndpoint)).toMatch(/^https:\/\/cmdflow-commands\..*\/api\/events$/);
    expect(await valueOf(program.intakeAppName)).toBe('cmdflow-intake');
    expect(await valueOf(program.validatorAppName)).toBe('cmdflow-validator');
    expect(await valueOf(program.executorAppName)).toBe('cmdflow-executor');
    expect(await valueOf(program.resourceGroupName)).toBe('cmdflow-rg');
    expect(await valueOf(program.serviceBusFullyQualifiedNamespace)).toBe('cmdflow-bus.servicebus.windows.net');
    expect(await valueOf(program.cosmosEndpoint)).toBe('https://cmdflow-cosmos.documents.azure.com:443/');
    expect(program.cosmosDatabaseName).toBe(databaseName);
    expect(await valueOf(program.deadLetterStorageAccountName)).toBe('cmdflowdl');
    expect(await valueOf(program.deadLetterContainerName)).toBe(deadLetterContainerName);
    expect(await valueOf(pulumi.all(program.hostStorageAccountNames))).toEqual({ intake: 'cmdflowstin', validator: 'cmdflowstva', executor: 'cmdflowstex' });
  });
});
