import { z } from 'zod';
import { readSettings, settingText, type Environment } from '@commandflow/events';
import { appSettingNames, connectionNames, databaseName as defaultDatabaseName } from '@commandflow/topology';

/** As deployed: the app's managed identity (DefaultAzureCredential) against the account endpoint. */
export interface CosmosIdentityConnection {
  readonly endpoint: string;
  readonly credential: 'identity';
  /** A user-assigned identity's client id; default: DefaultAzureCredential's choice (`AZURE_CLIENT_ID`). */
  readonly managedIdentityClientId?: string;
}

/** An emulator or a local account, by key. */
export type CosmosKeyConnection = { readonly connectionString: string } | { readonly endpoint: string; readonly key: string };

/** How to reach the Cosmos DB account, and which database holds the containers. */
export type CosmosSettings = (CosmosIdentityConnection | CosmosKeyConnection) & { readonly databaseName: string };

/** The environment variables `cosmosSettingsFromEnv` reads. */
export const cosmosSettingNames = {
  /** Account endpoint, `https://<account>.documents.azure.com:443/`: identity-based connection (as deployed). */
  endpoint: appSettingNames.cosmosEndpoint,
  /** Client id of the user-assigned identity to connect with (optional; identity-based only). */
  clientId: `${connectionNames.cosmos}__clientId`,
  /**
   * `AccountEndpoint=…;AccountKey=…;`, for an emulator or local use only: the setting the
   * change-feed trigger's connection `COSMOS` reads too.
   */
  connectionString: connectionNames.cosmos,
  /** The database; default `commandflow`. */
  database: appSettingNames.cosmosDatabase,
} as const;

const names = cosmosSettingNames;
/** Cosmos DB resource ids: up to 255 characters, none of `/ \ # ?`, no trailing space. */
const databaseId = /^[^/\\#?]{0,254}[^/\\#? ]$/;

const isUrl = (value: string, protocols: readonly string[]): boolean => URL.canParse(value) && protocols.includes(new URL(value).protocol);

/** `AccountEndpoint=http(s)://…;AccountKey=…;` (keys are never echoed in errors). */
function isConnectionString(value: string): boolean {
  const parts = new Map(value.split(';').filter(Boolean).map((part) => [part.slice(0, part.indexOf('=')).toLowerCase(), part.slice(part.indexOf('=') + 1)]));
  return isUrl(parts.get('accountendpoint') ?? '', ['https:', 'http:']) && Boolean(parts.get('accountkey'));
}

const cosmosEnvironment = z
  .object({
    [names.endpoint]: settingText.refine((value) => value === undefined || isUrl(value, ['https:']), {
      message: 'must be an https URL such as https://<account>.documents.azure.com:443/',
    }),
    [names.clientId]: settingText.pipe(z.guid("must be a managed identity's client id (a GUID)").optional()),
    [names.connectionString]: settingText.refine((value) => value === undefined || isConnectionString(value), {
      message: 'must look like AccountEndpoint=https://<host>:<port>/;AccountKey=<key>;',
    }),
    [names.database]: settingText.pipe(z.string().regex(databaseId, 'must be a Cosmos DB id (1-255 characters, none of / \\ # ?)').default(defaultDatabaseName)),
  })
  .superRefine((env, ctx) => {
    const problem = (setting: string, message: string) => ctx.addIssue({ code: 'custom', path: [setting], message });
    if (env[names.endpoint] && env[names.connectionString]) problem(names.connectionString, `cannot be combined with ${names.endpoint}: set one of them`);
    else if (env[names.connectionString] && env[names.clientId]) problem(names.clientId, `applies only with ${names.endpoint}`);
    else if (!env[names.endpoint] && !env[names.connectionString]) {
      problem(names.endpoint, `is required (identity-based, as deployed), or ${names.connectionString} for an emulator`);
    }
  })
  .transform((env): CosmosSettings => {
    const databaseName = env[names.database] as string;
    const connectionString = env[names.connectionString];
    if (connectionString) return { connectionString, databaseName };
    const clientId = env[names.clientId];
    return { endpoint: env[names.endpoint] as string, credential: 'identity', ...(clientId && { managedIdentityClientId: clientId }), databaseName };
  });

/**
 * Reads and validates the Cosmos DB settings at start-up: the account endpoint (identity, as
 * deployed) or a connection string (emulator), and the database. Empty values count as absent.
 * @throws ConfigurationError naming the setting that is missing or bad; never echoes a key.
 */
export const cosmosSettingsFromEnv = (env: Environment): CosmosSettings => readSettings(cosmosEnvironment, env);
