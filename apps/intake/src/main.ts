import { app } from '@azure/functions';
import { onFirstUse, registerFunctions } from '@commandflow/functions';
import { intakeFunctions } from './intakeFunctions';
import { composeIntake } from './intakeServices';

registerFunctions(app, intakeFunctions(onFirstUse(() => composeIntake(process.env))));
