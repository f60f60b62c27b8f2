import { ValidationError } from '@commandflow/events';
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

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Cosmos DB resource ids: up to 255 characters, none of `/ \ # ?`, no trailing space. */
const databaseNamePattern = /^[^/\\#?]{0,254}[^/\\#? ]$/;

/**
 * Reads and validates the Cosmos DB settings at start-up. Returns undefined when no Cosmos DB
 * setting is present at all (the apps then use SQLite); throws a ValidationError naming the setting
 * that is missing or bad otherwise. Empty values count as absent. Never echoes a key.
 */
export function cosmosSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): CosmosSettings | undefined {
  const read = (name: string) => env[name]?.trim() || undefined;
  const endpoint = read(cosmosSettingNames.endpoint);
  const clientId = read(cosmosSettingNames.clientId);
  const connectionString = read(cosmosSettingNames.connectionString);
  const database = read(cosmosSettingNames.database);
  if (![endpoint, clientId, connectionString, database].some(Boolean)) return undefined;
  const databaseName = database ?? defaultDatabaseName;

  if (!databaseNamePattern.test(databaseName)) {
    throw badSetting(
      cosmosSettingNames.database,
      `must be a Cosmos DB id (1-255 characters, none of / \\ # ?), not ${JSON.stringify(databaseName)}`,
    );
  }
  if (endpoint && connectionString) {
    throw badSetting(cosmosSettingNames.connectionString, `cannot be combined with ${cosmosSettingNames.endpoint}: set one of them`);
  }
  if (connectionString) {
    if (clientId) throw badSetting(cosmosSettingNames.clientId, `applies only with ${cosmosSettingNames.endpoint}`);
    const parts = new Map(
      connectionString
        .split(';')
        .filter(Boolean)
        .map((part) => [part.slice(0, part.indexOf('=')).toLowerCase(), part.slice(part.indexOf('=') + 1)]),
    );
    if (!isHttpUrl(parts.get('accountendpoint'), ['https:', 'http:']) || !parts.get('accountkey')) {
      throw badSetting(cosmosSettingNames.connectionString, 'must look like AccountEndpoint=https://<host>:<port>/;AccountKey=<key>;');
    }
    return { connectionString, databaseName };
  }
  if (!endpoint) {
    throw new ValidationError(
      'missing_setting',
      `Cosmos DB settings are incomplete: set ${cosmosSettingNames.endpoint} (identity-based, as deployed) ` +
        `or ${cosmosSettingNames.connectionString} (emulator)`,
      { setting: cosmosSettingNames.endpoint },
    );
  }
  if (!isHttpUrl(endpoint, ['https:'])) {
    throw badSetting(
      cosmosSettingNames.endpoint,
      `must be an https URL such as https://<account>.documents.azure.com:443/, not ${JSON.stringify(endpoint)}`,
    );
  }
  if (clientId && !guidPattern.test(clientId)) {
    throw badSetting(cosmosSettingNames.clientId, `must be a managed identity's client id (a GUID), not ${JSON.stringify(clientId)}`);
  }
  return { endpoint, credential: 'identity', ...(clientId && { managedIdentityClientId: clientId }), databaseName };
}

function isHttpUrl(value: string | undefined, protocols: readonly string[]): boolean {
  try {
    return value !== undefined && protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const badSetting = (setting: string, problem: string) =>
  new ValidationError('invalid_setting', `Setting ${setting} ${problem}`, { setting });
