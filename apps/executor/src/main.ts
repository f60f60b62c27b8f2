import { app } from '@azure/functions';
import { onFirstUse, registerFunctions } from '@commandflow/functions';
import { closeAppRuntimes } from '@commandflow/runtime';
import { azureMonitorExport } from '@commandflow/azure-telemetry';
import { startTelemetry } from '@commandflow/telemetry';
import { executorFunctions } from './executorFunctions';
import { composeExecutor } from './executorServices';

// Before registering: the Azure Functions instrumentation hooks every invocation (no connection is made here).
const telemetry = startTelemetry({ serviceName: 'executor', env: process.env, exporters: { azuremonitor: azureMonitorExport } });
registerFunctions(app, executorFunctions(onFirstUse(() => composeExecutor(process.env, 'azure'))));
app.hook.appTerminate(async () => {
  await closeAppRuntimes();
  await telemetry.shutdown();
});
