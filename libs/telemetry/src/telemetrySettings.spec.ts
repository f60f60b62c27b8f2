import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from './startTelemetry';
import { telemetrySettingsFromEnv } from './telemetrySettings';

const connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://in.example/';

describe('telemetrySettingsFromEnv', () => {
  it('exports nothing by default, and names spans after the app', () => {
    expect(telemetrySettingsFromEnv({}, 'intake')).toEqual({ exporter: 'none', serviceName: 'intake' });
  });

  it('exports to Azure Monitor where Application Insights is configured, with the app identity', () => {
    expect(telemetrySettingsFromEnv({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, AZURE_CLIENT_ID: 'client-1' }, 'executor')).toEqual({
      exporter: 'azuremonitor',
      serviceName: 'executor',
      connectionString,
      clientId: 'client-1',
    });
  });

  it('takes an explicit exporter and service name (OTLP or the console locally)', () => {
    expect(telemetrySettingsFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'dev-intake' }, 'intake')).toEqual({ exporter: 'otlp', serviceName: 'dev-intake' });
    expect(telemetrySettingsFromEnv({ OTEL_TRACES_EXPORTER: 'console', APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }, 'intake')).toEqual({
      exporter: 'console',
      serviceName: 'intake',
    });
  });

  it.each([
    [{ OTEL_TRACES_EXPORTER: 'jaeger' }, /OTEL_TRACES_EXPORTER/],
    [{ OTEL_TRACES_EXPORTER: 'azuremonitor' }, /APPLICATIONINSIGHTS_CONNECTION_STRING and AZURE_CLIENT_ID/],
    [{ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }, /needs AZURE_CLIENT_ID/],
  ])('rejects %j, naming the setting', (env, message) => {
    expect(() => telemetrySettingsFromEnv(env, 'intake')).toThrow(message);
  });
});

describe('startTelemetry', () => {
  it('registers nothing when nothing is exported', async () => {
    const telemetry = startTelemetry({ serviceName: 'intake', env: {} });
    expect(telemetry.enabled).toBe(false);
    await telemetry.shutdown();
  });

  it('uses the exporter the host offers for the setting, and names those it offers when asked for another', async () => {
    const shutdowns: string[] = [];
    const telemetry = startTelemetry({
      serviceName: 'intake',
      env: { OTEL_TRACES_EXPORTER: 'otlp' },
      exporters: {
        otlp: () => ({
          spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
          instrument: () => ({ shutdown: async () => void shutdowns.push('instrumentation') }),
        }),
      },
    });
    expect(telemetry.enabled).toBe(true);
    await telemetry.shutdown();
    expect(shutdowns).toEqual(['instrumentation']);
    expect(() => startTelemetry({ serviceName: 'intake', env: { APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, AZURE_CLIENT_ID: 'c' } })).toThrow(
      'OTEL_TRACES_EXPORTER=azuremonitor is not available here (available: console, none)',
    );
  });
});
