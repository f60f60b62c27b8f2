import { startTelemetry, telemetrySettingsFromEnv } from '@commandflow/telemetry';
import { azureMonitorExport } from './azureMonitorExport';

const env = {
  // Never reached: nothing is exported before a span ends, and the test ends none.
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:9/',
  AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000c1',
};

// The exporter reads these from the process: no SDK self-telemetry (it would go to Microsoft's endpoint).
const selfTelemetryOff = { APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true', APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true' };
const saved = { ...process.env };
beforeAll(() => Object.assign(process.env, selfTelemetryOff));
afterAll(() => {
  process.env = saved;
});

describe('azureMonitorExport', () => {
  it('exports spans to Application Insights with the app identity, and is what the apps pick where it is configured', async () => {
    expect(azureMonitorExport(telemetrySettingsFromEnv(env, 'intake')).spanProcessors).toHaveLength(1);
    const telemetry = startTelemetry({ serviceName: 'intake', env, exporters: { azuremonitor: azureMonitorExport } });
    expect(telemetry).toMatchObject({ enabled: true, settings: { exporter: 'azuremonitor', clientId: env.AZURE_CLIENT_ID } });
    await telemetry.shutdown();
  });

  it('refuses settings for another exporter', () => {
    expect(() => azureMonitorExport({ exporter: 'console', serviceName: 'intake' })).toThrow(/azuremonitor/);
  });
});
