import { stackViolationsOf, violationsOf, type PolicyTarget } from '../testing/policyRunner';
import { credentialSettings, isolationPolicies, securityPolicies } from './securityPolicies';

const identitySettings = [
  { name: 'AzureWebJobsStorage__accountName', value: 'cmdflowst' },
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' },
  { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: 'bus.servicebus.windows.net' },
  { name: 'COSMOS__accountEndpoint', value: 'https://db.documents.azure.com:443/' },
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: 'InstrumentationKey=0000;IngestionEndpoint=https://in/' },
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=abc' },
];

const goodSite = {
  kind: 'functionapp,linux',
  httpsOnly: true,
  siteConfig: { minTlsVersion: '1.2', appSettings: identitySettings },
};
const goodStorage = {
  kind: 'StorageV2',
  allowBlobPublicAccess: false,
  allowSharedKeyAccess: false,
  minimumTlsVersion: 'TLS1_2',
  enableHttpsTrafficOnly: true,
};

/** [policy, resource type, inputs that pass, inputs that must be reported] */
const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
  [
    'app-settings-hold-no-credentials',
    'azure-native:web:WebApp',
    goodSite,
    { ...goodSite, siteConfig: { ...goodSite.siteConfig, appSettings: [{ name: 'COSMOS', value: 'AccountEndpoint=https://db;AccountKey=c2VjcmV0;' }] } },
  ],
  [
    'app-settings-hold-no-credentials',
    'azure-native:web:WebApp',
    goodSite,
    { ...goodSite, siteConfig: { ...goodSite.siteConfig, connectionStrings: [{ name: 'db', connectionString: 'Server=x', type: 'SQLAzure' }] } },
  ],
  [
    'app-settings-hold-no-credentials',
    'azure-native:web:WebAppApplicationSettings',
    { properties: Object.fromEntries(identitySettings.map(({ name, value }) => [name, value])) },
    { properties: { ServiceBusConnection: 'Endpoint=sb://bus/;SharedAccessKeyName=root;SharedAccessKey=c2VjcmV0' } },
  ],
  ['local-auth-disabled', 'azure-native:cosmosdb:DatabaseAccount', { disableLocalAuth: true, minimalTlsVersion: 'Tls12' }, { minimalTlsVersion: 'Tls12' }],
  ['local-auth-disabled', 'azure-native:servicebus:Namespace', { disableLocalAuth: true, minimumTlsVersion: '1.2' }, { disableLocalAuth: false, minimumTlsVersion: '1.2' }],
  ['local-auth-disabled', 'azure-native:eventgrid:Topic', { disableLocalAuth: true, minimumTlsVersionAllowed: '1.2' }, { minimumTlsVersionAllowed: '1.2' }],
  ['local-auth-disabled', 'azure-native:applicationinsights:Component', { disableLocalAuth: true }, { disableLocalAuth: false }],
  ['local-auth-disabled', 'azure-native:operationalinsights:Workspace', { features: { disableLocalAuth: true } }, {}],
  [
    'http-functions-not-anonymous',
    'azure-native:web:WebAppFunction',
    { functionName: 'submit', config: { bindings: [{ type: 'httpTrigger', authLevel: 'function' }] } },
    { functionName: 'submit', config: { bindings: [{ type: 'httpTrigger', authLevel: 'anonymous' }] } },
  ],
  ['tls-1-2-minimum', 'azure-native:storage:StorageAccount', goodStorage, { ...goodStorage, minimumTlsVersion: 'TLS1_0' }],
  ['tls-1-2-minimum', 'azure-native:storage:StorageAccount', goodStorage, { ...goodStorage, enableHttpsTrafficOnly: false }],
  ['tls-1-2-minimum', 'azure-native:web:WebApp', goodSite, { ...goodSite, siteConfig: { ...goodSite.siteConfig, minTlsVersion: '1.0' } }],
  ['tls-1-2-minimum', 'azure-native:web:WebApp', goodSite, { ...goodSite, httpsOnly: false }],
  ['tls-1-2-minimum', 'azure-native:cosmosdb:DatabaseAccount', { disableLocalAuth: true, minimalTlsVersion: 'Tls12' }, { disableLocalAuth: true, minimalTlsVersion: 'Tls' }],
  ['tls-1-2-minimum', 'azure-native:servicebus:Namespace', { disableLocalAuth: true, minimumTlsVersion: '1.2' }, { disableLocalAuth: true }],
  ['tls-1-2-minimum', 'azure-native:eventgrid:Topic', { disableLocalAuth: true, minimumTlsVersionAllowed: '1.2' }, { disableLocalAuth: true, minimumTlsVersionAllowed: '1.1' }],
  ['no-public-blob-access', 'azure-native:storage:StorageAccount', goodStorage, { ...goodStorage, allowBlobPublicAccess: true }],
  ['no-public-blob-access', 'azure-native:storage:BlobContainer', { publicAccess: 'None' }, { publicAccess: 'Blob' }],
  ['storage-shared-key-disabled', 'azure-native:storage:StorageAccount', goodStorage, { ...goodStorage, allowSharedKeyAccess: undefined }],
  ['publishing-basic-auth-disabled', 'azure-native:web:WebAppScmAllowed', { allow: false }, { allow: true }],
  ['publishing-basic-auth-disabled', 'azure-native:web:WebAppFtpAllowed', { allow: false }, { allow: true }],
];

describe('security policy pack', () => {
  it('has a mandatory rule for each security property, each shown failing below', () => {
    expect(securityPolicies.map((policy) => policy.enforcementLevel)).toEqual(securityPolicies.map(() => 'mandatory'));
    expect(new Set(cases.map(([policy]) => policy))).toEqual(new Set(securityPolicies.map((policy) => policy.name)));
  });

  it.each(cases)('%s passes a good %s', async (_policy, type, good) => {
    expect(await violationsOf(securityPolicies, { type, name: 'good', inputs: good })).toEqual([]);
  });

  it.each(cases)('%s reports a bad %s', async (policy, type, _good, bad) => {
    const violations = await violationsOf(securityPolicies, { type, name: 'bad', inputs: bad });
    expect(violations.map((violation) => violation.policy)).toEqual([policy]);
  });
});

describe('credentialSettings', () => {
  it.each([
    ['AzureWebJobsStorage', 'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=c2VjcmV0'],
    ['COSMOS_KEY', 'c2VjcmV0'],
    ['DB_PASSWORD', 'hunter2'],
    ['CLIENT_SECRET', 'abc'],
    ['STORAGE_CONNECTION_STRING', 'UseDevelopmentStorage=true'],
    ['APPINSIGHTS_INSTRUMENTATIONKEY', '0000'],
    ['UPLOAD_URL', 'https://st.blob.core.windows.net/c/b?sv=2024&sig=abc'],
  ])('finds %s', (name, value) => {
    expect(credentialSettings([{ name, value }])).toEqual([name]);
  });

  it('accepts the App Insights connection string only when telemetry authenticates with Entra ID', () => {
    const connection = { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: 'InstrumentationKey=0000;IngestionEndpoint=https://in/' };
    expect(credentialSettings([connection])).toEqual([connection.name]);
    expect(credentialSettings([connection, { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=abc' }])).toEqual([connection.name]);
    expect(credentialSettings([connection, { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=abc' }])).toEqual([]);
  });

  it('accepts identity-based connections', () => {
    expect(credentialSettings(identitySettings)).toEqual([]);
  });
});

describe('isolation policies', () => {
  const accountId = (name: string) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`;
  const app = (name: string, account: string): PolicyTarget => ({
    type: 'azure-native:web:WebApp',
    name,
    inputs: {
      ...goodSite,
      name,
      siteConfig: { ...goodSite.siteConfig, appSettings: [{ name: 'AzureWebJobsStorage__accountName', value: account }] },
      functionAppConfig: { deployment: { storage: { value: `https://${account}.blob.core.windows.net/${name}-deployment` } } },
    },
  });
  const blobOwner = (principalId: string, scope: string): PolicyTarget => ({
    type: 'azure-native:authorization:RoleAssignment',
    name: `${principalId}-owner`,
    inputs: { principalId, scope, roleDefinitionId: '/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/b7e6dc6d-f1e8-4753-8033-0f276bb0955b' },
  });
  const isolated = [app('intake', 'stin'), app('validator', 'stva'), blobOwner('intake', accountId('stin')), blobOwner('validator', accountId('stva'))];

  it('has mandatory rules, each shown failing below', () => {
    expect(isolationPolicies.map((policy) => [policy.name, policy.enforcementLevel])).toEqual([
      ['host-storage-per-app', 'mandatory'],
      ['storage-data-roles-per-account', 'mandatory'],
      ['cosmos-grants-per-container', 'mandatory'],
    ]);
  });

  it('pass apps that each have their own host storage, granted to their own identity only', async () => {
    expect(await stackViolationsOf(isolationPolicies, isolated)).toEqual([]);
  });

  it('report two apps on one host storage account, by setting or by deployment container', async () => {
    const bySetting = [app('intake', 'stin'), app('validator', 'stin')];
    const byDeployment = [
      app('intake', 'stin'),
      { ...app('validator', 'stva'), inputs: { ...app('validator', 'stva').inputs, functionAppConfig: { deployment: { storage: { value: 'https://stin.blob.core.windows.net/validator-deployment' } } } } },
    ];
    for (const stack of [bySetting, byDeployment]) {
      const violations = await stackViolationsOf(isolationPolicies, stack);
      expect(violations.map((violation) => violation.policy)).toEqual(['host-storage-per-app']);
      expect(violations[0]?.message).toMatch(/intake, validator share host storage account 'stin'/);
    }
  });

  it("report a second identity holding a blob data role on an app's storage, even on one container of it", async () => {
    const violations = await stackViolationsOf(isolationPolicies, [...isolated, blobOwner('executor', `${accountId('stin')}/blobServices/default/containers/azure-webjobs-secrets`)]);
    expect(violations.map((violation) => violation.policy)).toEqual(['storage-data-roles-per-account']);
  });

  it('report a blob data role above one storage account (resource group or subscription)', async () => {
    const violations = await stackViolationsOf(isolationPolicies, [...isolated, blobOwner('executor', '/subscriptions/s/resourceGroups/rg')]);
    expect(violations.map((violation) => violation.policy)).toEqual(['storage-data-roles-per-account']);
  });

  it.each([
    ['the account', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/db'],
    ['the whole database', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/db/dbs/commandflow'],
  ])('report a Cosmos DB grant on %s, and pass one on a container', async (_what, scope) => {
    const grant = (grantScope: string): PolicyTarget => ({
      type: 'azure-native:cosmosdb:SqlResourceSqlRoleAssignment',
      name: 'grant',
      inputs: { principalId: 'p', scope: grantScope, roleDefinitionId: 'r' },
    });
    expect((await violationsOf(isolationPolicies, grant(scope))).map((violation) => violation.policy)).toEqual(['cosmos-grants-per-container']);
    expect(await violationsOf(isolationPolicies, grant(`${scope.replace(/\/dbs\/commandflow$/, '')}/dbs/commandflow/colls/events`))).toEqual([]);
  });
});
