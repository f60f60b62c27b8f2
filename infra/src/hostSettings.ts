/**
 * App settings read by the Azure Functions host itself (commandflow's own names live in
 * `@commandflow/topology`). Kept free of workspace imports so the policy pack can load it alone.
 */
export const hostSettingNames = {
  /** Connection name of the host storage; used with `__accountName`, `__credential`, `__clientId`. */
  storageConnection: 'AzureWebJobsStorage',
  /**
   * Where telemetry goes. It embeds the instrumentation key, which is an identifier and not a
   * credential once the Application Insights component has local auth disabled.
   */
  appInsightsConnectionString: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
  /** `Authorization=AAD;ClientId=<client id>`: telemetry is sent with the app's identity. */
  appInsightsAuthentication: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
} as const;

/** Value of `<connection>__credential` for identity-based connections. */
export const managedIdentityCredential = 'managedidentity';
