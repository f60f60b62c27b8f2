/**
 * Names of the app settings the function apps read. Infra writes them, the composition roots
 * read them; identity-based connections only (no keys, no connection strings on Azure).
 */
export const appSettingNames = {
  /** `<namespace>.servicebus.windows.net`; the Functions trigger connection named `ServiceBusConnection`. */
  serviceBusNamespace: 'ServiceBusConnection__fullyQualifiedNamespace',
  /** Cosmos DB account endpoint; the change-feed trigger connection named `COSMOS`. */
  cosmosEndpoint: 'COSMOS__accountEndpoint',
  /** The Cosmos DB database holding events, views and leases. */
  cosmosDatabase: 'COSMOS_DATABASE',
  /** Client id of the app's user-assigned identity, used by DefaultAzureCredential. */
  azureClientId: 'AZURE_CLIENT_ID',
  /** Deliveries before a message is dead-lettered; the executor records CommandFailed on the last. */
  maxDeliveryCount: 'MAX_DELIVERY_COUNT',
  /**
   * `true` only where App Service authentication (Easy Auth) guards the app and so sets and
   * protects `x-ms-client-principal`; infra writes it. Anywhere else that header is a claim
   * any caller can make, and intake ignores it.
   */
  appServiceAuthentication: 'COMMANDFLOW_APP_SERVICE_AUTH',
} as const;

/** Connection names as bindings refer to them (the Functions host appends `__fullyQualifiedNamespace` etc.). */
export const connectionNames = {
  serviceBus: 'ServiceBusConnection',
  cosmos: 'COSMOS',
} as const;

/** Settings of intake's page (`/api/ui`, docs/ui.md). */
export const pageSettingNames = {
  /**
   * `app-service-auth` (default): served only to users App Service authentication signed in;
   * `open`: to anyone who reaches the app (the local host's default); `off`: not served.
   */
  access: 'COMMANDFLOW_PAGE_ACCESS',
  /** `true`: the page offers to resubmit dead letters. Default `false` (the local host's default is `true`). */
  writes: 'COMMANDFLOW_PAGE_WRITES',
} as const;
