import { app } from '@azure/functions';
import { onFirstUse, registerFunctions } from '@commandflow/functions';
import { closeAppRuntimes } from '@commandflow/runtime';
import { validatorFunctions } from './validatorFunctions';
import { composeValidator } from './validatorServices';

registerFunctions(app, validatorFunctions(onFirstUse(() => composeValidator(process.env, 'azure'))));
app.hook.appTerminate(closeAppRuntimes);
