import { app } from '@azure/functions';
import { onFirstUse, registerFunctions } from '@commandflow/functions';
import { closeAppRuntimes, sweepSettingsFromEnv } from '@commandflow/runtime';
import { azureMonitorExport } from '@commandflow/azure-telemetry';
import { startTelemetry } from '@commandflow/telemetry';
import { intakeFunctions } from './intakeFunctions';
import { composeIntake } from './intakeServices';

// Before registering: the Azure Functions instrumentation hooks every invocation (no connection is made here).
const telemetry = startTelemetry({ serviceName: 'intake', env: process.env, exporters: { azuremonitor: azureMonitorExport } });
// The sweeper's schedule is read now (a bad one stops the app here, naming the setting); the rest on first use.
const { schedule: sweepSchedule } = sweepSettingsFromEnv(process.env);
registerFunctions(app, intakeFunctions(onFirstUse(() => composeIntake(process.env, 'azure')), { sweepSchedule }));
app.hook.appTerminate(async () => {
  await closeAppRuntimes();
  await telemetry.shutdown();
});
