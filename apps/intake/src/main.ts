import { app } from '@azure/functions';
import { onFirstUse, registerFunctions } from '@commandflow/functions';
import { closeAppRuntimes } from '@commandflow/runtime';
import { azureMonitorExport } from '@commandflow/azure-telemetry';
import { startTelemetry } from '@commandflow/telemetry';
import { intakeFunctions } from './intakeFunctions';
import { composeIntake } from './intakeServices';

// Before registering: the Azure Functions instrumentation hooks every invocation (no connection is made here).
const telemetry = startTelemetry({ serviceName: 'intake', env: process.env, exporters: { azuremonitor: azureMonitorExport } });
registerFunctions(app, intakeFunctions(onFirstUse(() => composeIntake(process.env, 'azure'))));
app.hook.appTerminate(async () => {
  await closeAppRuntimes();
  await telemetry.shutdown();
});
