import { app } from '@azure/functions';
import { onFirstUse, registerFunctions } from '@commandflow/functions';
import { closeAppRuntimes } from '@commandflow/runtime';
import { intakeFunctions } from './intakeFunctions';
import { composeIntake } from './intakeServices';

registerFunctions(app, intakeFunctions(onFirstUse(() => composeIntake(process.env, 'azure'))));
app.hook.appTerminate(closeAppRuntimes);
