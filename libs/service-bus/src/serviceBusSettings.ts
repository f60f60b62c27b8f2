import { ValidationError } from '@commandflow/events';
import { appSettingNames, connectionNames } from '@commandflow/topology';

/** As deployed: the app's managed identity (DefaultAzureCredential) against the namespace. */
export interface ServiceBusIdentityConnection {
  /** `<namespace>.servicebus.windows.net` */
  readonly fullyQualifiedNamespace: string;
  readonly credential: 'identity';
  /** A user-assigned identity's client id; default: DefaultAzureCredential's own choice. */
  readonly managedIdentityClientId?: string;
}

/** A shared-access connection string: the Service Bus emulator's (`UseDevelopmentEmulator=true`), a test peer's, or local use. */
export interface ServiceBusConnectionStringConnection {
  readonly connectionString: string;
}

/** How to reach Service Bus. */
export type ServiceBusSettings = ServiceBusIdentityConnection | ServiceBusConnectionStringConnection;

/** The environment variables `serviceBusSettingsFromEnv` reads: the Functions trigger's connection `ServiceBusConnection`. */
export const serviceBusSettingNames = {
  /** `<namespace>.servicebus.windows.net`: identity-based connection (as deployed). */
  fullyQualifiedNamespace: appSettingNames.serviceBusNamespace,
  /** Client id of the user-assigned identity to connect with (optional; identity-based only). */
  clientId: `${connectionNames.serviceBus}__clientId`,
  /** The identity's client id when the connection names none (shared with other Azure clients). */
  azureClientId: appSettingNames.azureClientId,
  /** `Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…;`, as the Functions extension also accepts: emulator or local use only. */
  connectionString: connectionNames.serviceBus,
} as const;

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hostNamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Reads and validates the Service Bus settings at start-up. Returns undefined when neither the
 * namespace, the connection string nor the connection's client id is set (the apps then use the
 * local SQLite queue); throws a ValidationError naming the setting that is missing or bad
 * otherwise. Empty values count as absent. Never echoes a key.
 */
export function serviceBusSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): ServiceBusSettings | undefined {
  const read = (name: string) => env[name]?.trim() || undefined;
  const fullyQualifiedNamespace = read(serviceBusSettingNames.fullyQualifiedNamespace);
  const connectionClientId = read(serviceBusSettingNames.clientId);
  const connectionString = read(serviceBusSettingNames.connectionString);
  if (![fullyQualifiedNamespace, connectionClientId, connectionString].some(Boolean)) return undefined;

  if (fullyQualifiedNamespace && connectionString) {
    throw badSetting(
      serviceBusSettingNames.connectionString,
      `cannot be combined with ${serviceBusSettingNames.fullyQualifiedNamespace}: set one of them`,
    );
  }
  if (connectionString) {
    if (connectionClientId) throw badSetting(serviceBusSettingNames.clientId, `applies only with ${serviceBusSettingNames.fullyQualifiedNamespace}`);
    assertConnectionString(connectionString);
    return { connectionString };
  }
  if (!fullyQualifiedNamespace) {
    throw new ValidationError(
      'missing_setting',
      `Service Bus settings are incomplete: set ${serviceBusSettingNames.fullyQualifiedNamespace} (identity-based, as deployed) ` +
        `or ${serviceBusSettingNames.connectionString} (a connection string, e.g. the emulator's)`,
      { setting: serviceBusSettingNames.fullyQualifiedNamespace },
    );
  }
  if (!hostNamePattern.test(fullyQualifiedNamespace)) {
    throw badSetting(
      serviceBusSettingNames.fullyQualifiedNamespace,
      `must be a host name such as <namespace>.servicebus.windows.net, not ${JSON.stringify(fullyQualifiedNamespace)}`,
    );
  }
  const [clientIdSetting, clientId] = connectionClientId
    ? [serviceBusSettingNames.clientId, connectionClientId]
    : [serviceBusSettingNames.azureClientId, read(serviceBusSettingNames.azureClientId)];
  if (clientId && !guidPattern.test(clientId)) {
    throw badSetting(clientIdSetting, `must be a managed identity's client id (a GUID), not ${JSON.stringify(clientId)}`);
  }
  return { fullyQualifiedNamespace, credential: 'identity', ...(clientId && { managedIdentityClientId: clientId }) };
}

/** `Endpoint=sb://<host>[:port][/];` with a key name and key, or a shared access signature, as the SDK requires. */
function assertConnectionString(connectionString: string): void {
  const parts = new Map(
    connectionString
      .split(';')
      .filter((part) => part.includes('='))
      .map((part) => [part.slice(0, part.indexOf('=')).trim().toLowerCase(), part.slice(part.indexOf('=') + 1).trim()]),
  );
  let endpoint: URL | undefined;
  try {
    endpoint = new URL(parts.get('endpoint') ?? '');
  } catch {
    endpoint = undefined;
  }
  const hasKey = Boolean(parts.get('sharedaccesskeyname') && parts.get('sharedaccesskey')) || Boolean(parts.get('sharedaccesssignature'));
  if (endpoint?.protocol !== 'sb:' || !endpoint.hostname || !hasKey) {
    throw badSetting(
      serviceBusSettingNames.connectionString,
      'must look like Endpoint=sb://<host>[:<port>];SharedAccessKeyName=<name>;SharedAccessKey=<key>[;UseDevelopmentEmulator=true]',
    );
  }
}

const badSetting = (setting: string, problem: string) => new ValidationError('invalid_setting', `Setting ${setting} ${problem}`, { setting });
