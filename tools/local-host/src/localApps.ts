import { composeExecutor, executorFunctions, hostSettings as executorHost } from '@commandflow/executor';
import { onFirstUse, type FunctionDefinition } from '@commandflow/functions';
import { composeIntake, intakeFunctions, hostSettings as intakeHost } from '@commandflow/intake';
import type { Environment } from '@commandflow/runtime';
import { composeValidator, validatorFunctions, hostSettings as validatorHost } from '@commandflow/validator';

/** An app as the local host loads it: its function descriptions and its host.json. */
export interface LocalApp {
  readonly name: string;
  readonly functions: (env: Environment) => FunctionDefinition[];
  readonly hostSettings: { readonly extensions?: { readonly serviceBus?: { readonly maxConcurrentCalls?: number } } };
}

/** The three apps, built exactly as their main.ts builds them for Azure. */
export const localApps: readonly LocalApp[] = [
  { name: 'intake', functions: (env) => intakeFunctions(onFirstUse(() => composeIntake(env))), hostSettings: intakeHost },
  { name: 'validator', functions: (env) => validatorFunctions(onFirstUse(() => composeValidator(env))), hostSettings: validatorHost },
  { name: 'executor', functions: (env) => executorFunctions(onFirstUse(() => composeExecutor(env))), hostSettings: executorHost },
];

export const appNames = localApps.map((app) => app.name);
