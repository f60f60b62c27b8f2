import { z } from 'zod';

/** Environment variables telemetry reads; the OTLP exporter also reads the standard `OTEL_EXPORTER_OTLP_*` ones. */
export const telemetrySettingNames = {
  /** `azuremonitor`, `otlp`, `console` or `none`. Default: `azuremonitor` where Application Insights is configured, else `none`. */
  exporter: 'OTEL_TRACES_EXPORTER',
  /** The service name on every span. Default: the app's name. */
  serviceName: 'OTEL_SERVICE_NAME',
  /** Where Azure Monitor telemetry goes (written by infra). */
  appInsightsConnectionString: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
  /** Client id of the app's managed identity, which sends Azure Monitor telemetry (local auth is off). */
  azureClientId: 'AZURE_CLIENT_ID',
} as const;

export const telemetryExporters = ['azuremonitor', 'otlp', 'console', 'none'] as const;
export type TelemetryExporter = (typeof telemetryExporters)[number];

/** Where spans go, validated: Azure Monitor needs its connection string and the identity that authenticates. */
export type TelemetrySettings =
  | { readonly exporter: 'azuremonitor'; readonly serviceName: string; readonly connectionString: string; readonly clientId: string }
  | { readonly exporter: 'otlp' | 'console' | 'none'; readonly serviceName: string };

const optional = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const environment = z.object({
  [telemetrySettingNames.exporter]: optional.pipe(z.enum(telemetryExporters).optional()),
  [telemetrySettingNames.serviceName]: optional.pipe(z.string().max(200).optional()),
  [telemetrySettingNames.appInsightsConnectionString]: optional,
  [telemetrySettingNames.azureClientId]: optional,
});

/** Reads telemetry settings; a bad or incomplete one throws an error that names it. */
export function telemetrySettingsFromEnv(env: Readonly<Record<string, string | undefined>>, defaultServiceName: string): TelemetrySettings {
  const parsed = environment.safeParse(env);
  if (!parsed.success) throw new Error(`Telemetry settings: ${z.prettifyError(parsed.error)}`);
  const settings = parsed.data;
  const connectionString = settings[telemetrySettingNames.appInsightsConnectionString];
  const exporter = settings[telemetrySettingNames.exporter] ?? (connectionString ? 'azuremonitor' : 'none');
  const serviceName = settings[telemetrySettingNames.serviceName] ?? defaultServiceName;
  if (exporter !== 'azuremonitor') return { exporter, serviceName };
  const clientId = settings[telemetrySettingNames.azureClientId];
  if (!connectionString || !clientId) {
    const missing = [!connectionString && telemetrySettingNames.appInsightsConnectionString, !clientId && telemetrySettingNames.azureClientId].filter(Boolean);
    throw new Error(`Telemetry settings: ${telemetrySettingNames.exporter}=azuremonitor needs ${missing.join(' and ')}`);
  }
  return { exporter, serviceName, connectionString, clientId };
}
