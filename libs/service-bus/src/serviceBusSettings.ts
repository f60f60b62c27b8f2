import { parseServiceBusConnectionString } from '@azure/service-bus';
import { z } from 'zod';
import { readSettings, settingText, type Environment } from '@commandflow/events';
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

const names = serviceBusSettingNames;
const hostName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const clientIdSchema = settingText.pipe(z.guid("must be a managed identity's client id (a GUID)").optional());

/** Parsed by the SDK's own parser: an `sb://` endpoint and a key (name and value) or a shared access signature. */
function isConnectionString(value: string): boolean {
  try {
    const { endpoint, sharedAccessKey, sharedAccessKeyName, sharedAccessSignature } = parseServiceBusConnectionString(value);
    return endpoint.startsWith('sb://') && Boolean((sharedAccessKey && sharedAccessKeyName) || sharedAccessSignature);
  } catch {
    return false;
  }
}

const serviceBusEnvironment = z
  .object({
    [names.fullyQualifiedNamespace]: settingText.refine((value) => value === undefined || hostName.test(value), {
      message: 'must be a host name such as <namespace>.servicebus.windows.net',
    }),
    [names.clientId]: clientIdSchema,
    [names.azureClientId]: clientIdSchema,
    [names.connectionString]: settingText.refine((value) => value === undefined || isConnectionString(value), {
      message: 'must look like Endpoint=sb://<host>[:<port>];SharedAccessKeyName=<name>;SharedAccessKey=<key>[;UseDevelopmentEmulator=true]',
    }),
  })
  .superRefine((env, ctx) => {
    const problem = (setting: string, message: string) => ctx.addIssue({ code: 'custom', path: [setting], message });
    const namespace = env[names.fullyQualifiedNamespace];
    const connectionString = env[names.connectionString];
    if (namespace && connectionString) problem(names.connectionString, `cannot be combined with ${names.fullyQualifiedNamespace}: set one of them`);
    else if (connectionString && env[names.clientId]) problem(names.clientId, `applies only with ${names.fullyQualifiedNamespace}`);
    else if (!namespace && !connectionString) {
      problem(names.fullyQualifiedNamespace, `is required (identity-based, as deployed), or ${names.connectionString} (a connection string, e.g. the emulator's)`);
    }
  })
  .transform((env): ServiceBusSettings => {
    const connectionString = env[names.connectionString];
    if (connectionString) return { connectionString };
    const clientId = env[names.clientId] ?? env[names.azureClientId];
    return { fullyQualifiedNamespace: env[names.fullyQualifiedNamespace] as string, credential: 'identity', ...(clientId && { managedIdentityClientId: clientId }) };
  });

/**
 * Reads and validates the Service Bus settings at start-up: the namespace (identity, as deployed)
 * or a connection string (emulator, test peer). Empty values count as absent.
 * @throws ConfigurationError naming the setting that is missing or bad; never echoes a key.
 */
export const serviceBusSettingsFromEnv = (env: Environment): ServiceBusSettings => readSettings(serviceBusEnvironment, env);
