import * as azureFunctions from '@azure/functions';
import { AzureFunctionsInstrumentation } from '@azure/functions-opentelemetry-instrumentation';
import { ManagedIdentityCredential } from '@azure/identity';
import { AzureMonitorLogExporter, AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExport, TelemetrySettings } from '@commandflow/telemetry';

/**
 * Telemetry of a function app on Azure (`OTEL_TRACES_EXPORTER=azuremonitor`, the default where
 * `APPLICATIONINSIGHTS_CONNECTION_STRING` is set): spans and the worker's logs go to Application
 * Insights, sent with the app's managed identity (the component has local auth off), and the Azure
 * Functions OpenTelemetry instrumentation runs every handler in the host's trace context.
 */
export function azureMonitorExport(settings: TelemetrySettings): SpanExport {
  if (settings.exporter !== 'azuremonitor') throw new Error(`azureMonitorExport needs azuremonitor settings, got ${settings.exporter}`);
  const options = { connectionString: settings.connectionString, credential: new ManagedIdentityCredential({ clientId: settings.clientId }) };
  return {
    spanProcessors: [new BatchSpanProcessor(new AzureMonitorTraceExporter(options))],
    instrument(tracerProvider, resource) {
      const logExporter = new AzureMonitorLogExporter(options);
      const loggerProvider = new LoggerProvider({
        resource,
        processors: [new BatchLogRecordProcessor(logExporter as unknown as ConstructorParameters<typeof BatchLogRecordProcessor>[0])],
      });
      // The instrumentation tells the host that the worker exports its own logs (so they are not sent
      // twice) and binds each handler to the host's trace context. The apps are bundled, so
      // `@azure/functions` is never `require`d by name, which is how the instrumentation finds a
      // module: it is handed the module instead.
      const instrumentation = new AzureFunctionsInstrumentation();
      instrumentation.setTracerProvider(tracerProvider);
      instrumentation.setLoggerProvider(loggerProvider as unknown as Parameters<typeof instrumentation.setLoggerProvider>[0]);
      for (const definition of instrumentation.getModuleDefinitions()) definition.patch?.(azureFunctions, azureFunctionsMajorVersion);
      return loggerProvider;
    },
  };
}

/** The instrumentation's patch is told the module's version; it supports @azure/functions ^4.5.0. */
const azureFunctionsMajorVersion = '4';
