import { app } from '@azure/functions';
import { onFirstUse, registerFunctions } from '@commandflow/functions';
import { closeAppRuntimes } from '@commandflow/runtime';
import { azureMonitorExport } from '@commandflow/azure-telemetry';
import { startTelemetry } from '@commandflow/telemetry';
import { validatorFunctions } from './validatorFunctions';
import { composeValidator } from './validatorServices';

// Before registering: the Azure Functions instrumentation hooks every invocation (no connection is made here).
const telemetry = startTelemetry({ serviceName: 'validator', env: process.env, exporters: { azuremonitor: azureMonitorExport } });
registerFunctions(app, validatorFunctions(onFirstUse(() => composeValidator(process.env, 'azure'))));
app.hook.appTerminate(async () => {
  await closeAppRuntimes();
  await telemetry.shutdown();
});
