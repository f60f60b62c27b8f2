import { app } from '@azure/functions';
import { onFirstUse, registerFunctions } from '@commandflow/functions';
import { closeAppRuntimes } from '@commandflow/runtime';
import { executorFunctions } from './executorFunctions';
import { composeExecutor } from './executorServices';

registerFunctions(app, executorFunctions(onFirstUse(() => composeExecutor(process.env, 'azure'))));
app.hook.appTerminate(closeAppRuntimes);
