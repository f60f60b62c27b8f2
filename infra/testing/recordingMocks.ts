import * as pulumi from '@pulumi/pulumi';
import { MockMonitor } from '@pulumi/pulumi/runtime/mocks';

/** A resource the program registered under mocks, with its resolved inputs. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  /** The resource options the engine would act on (mocks are not told them; see `recordOptions`). */
  readonly options: RecordedOptions;
}

export interface RecordedOptions {
  readonly replaceOnChanges: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

/** Options by `<type>::<name>`, read off the registration request before the mocks see it. */
const optionsByResource = new Map<string, RecordedOptions>();

/**
 * `setMocks` hands `newResource` only type, name and inputs; the request it receives also holds the
 * options that change how the engine replaces a resource, so they are read here first.
 */
function recordOptions(): void {
  const register = MockMonitor.prototype.registerResource;
  MockMonitor.prototype.registerResource = function (this: MockMonitor, request, callback) {
    optionsByResource.set(`${request.getType()}::${request.getName()}`, {
      replaceOnChanges: request.getReplaceonchangesList(),
      deleteBeforeReplace: request.getDeletebeforereplace(),
    });
    return register.call(this, request, callback);
  };
}

export const mockSubscriptionId = '00000000-0000-0000-0000-00000000c0de';

/**
 * Installs Pulumi mocks that record every custom resource, then returns the (growing) record.
 * Set config before, import the program after, then `await settled()`.
 */
export async function recordResources(config: Record<string, string>): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  recordOptions();
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [`commandflow:${key}`, value])));
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs, custom }) => {
        const id = resourceId(type, name, inputs);
        const options = optionsByResource.get(`${type}::${name}`) ?? { replaceOnChanges: [], deleteBeforeReplace: false };
        if (custom) recorded.push({ type, name, id, inputs, options });
        return { id, state: { ...inputs, name: physicalName(type, name, inputs), ...azureOutputs(type, name) } };
      },
      call: ({ token, inputs }) =>
        token === 'azure-native:authorization:getClientConfig'
          ? { subscriptionId: mockSubscriptionId, tenantId: 'tenant', clientId: 'deployer', objectId: 'deployer' }
          : inputs,
    },
    'commandflow',
    'test',
    false,
  );
  return recorded;
}

/** Waits until every resource the program declared has been registered. */
export async function settled(): Promise<void> {
  await pulumi.runtime.disconnect();
}

/** The naming property of the resources the program names explicitly; the rest are auto-named. */
const namingProperty: Record<string, string> = {
  'azure-native:cosmosdb:SqlResourceSqlDatabase': 'databaseName',
  'azure-native:cosmosdb:SqlResourceSqlContainer': 'containerName',
  'azure-native:servicebus:Queue': 'queueName',
  'azure-native:storage:BlobContainer': 'containerName',
};

function physicalName(type: string, name: string, inputs: Record<string, unknown>): unknown {
  const property = namingProperty[type];
  return property === undefined ? name : inputs[property];
}

/**
 * The resource id Azure would give: ARM ids for storage (the policy pack reads account names out
 * of role-assignment scopes), `<name>-id` for everything else.
 */
function resourceId(type: string, name: string, inputs: Record<string, unknown>): string {
  const storageAccountId = (account: unknown) =>
    `/subscriptions/${mockSubscriptionId}/resourceGroups/${String(inputs['resourceGroupName'])}/providers/Microsoft.Storage/storageAccounts/${String(account)}`;
  switch (type) {
    case 'azure-native:storage:StorageAccount':
      return storageAccountId(name);
    case 'azure-native:storage:BlobContainer':
      return `${storageAccountId(inputs['accountName'])}/blobServices/default/containers/${String(inputs['containerName'])}`;
    default:
      return `${name}-id`;
  }
}

/** What Azure computes and the program reads back, in the shape azure-native returns it. */
function azureOutputs(type: string, name: string): Record<string, unknown> {
  switch (type) {
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return { principalId: `${name}-principal`, clientId: `${name}-client` };
    case 'azure-native:storage:StorageAccount':
      return { primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/` } };
    case 'azure-native:cosmosdb:DatabaseAccount':
      return { documentEndpoint: `https://${name}.documents.azure.com:443/` };
    case 'azure-native:servicebus:Namespace':
      return { serviceBusEndpoint: `https://${name}.servicebus.windows.net:443/` };
    case 'azure-native:applicationinsights:Component':
      return {
        connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://${name}.in.applicationinsights.azure.com/`,
      };
    case 'azure-native:web:WebApp':
      return { defaultHostName: `${name}.azurewebsites.net` };
    case 'azure-native:eventgrid:Topic':
      return { endpoint: `https://${name}.westeurope-1.eventgrid.azure.net/api/events` };
    default:
      return {};
  }
}

/** The resolved value of an output (mocks resolve everything, even in tests). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
