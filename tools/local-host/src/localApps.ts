import { composeExecutor, executorFunctions, hostSettings as executorHost } from '@commandflow/executor';
import type { FunctionDefinition } from '@commandflow/functions';
import { composeIntake, intakeFunctions, hostSettings as intakeHost } from '@commandflow/intake';
import type { Environment } from '@commandflow/runtime';
import { composeValidator, validatorFunctions, hostSettings as validatorHost } from '@commandflow/validator';

/** An app as the local host loads it: its function descriptions and its host.json. */
export interface LocalApp {
  readonly name: string;
  readonly functions: (env: Environment) => FunctionDefinition[];
  readonly hostSettings: { readonly extensions?: { readonly serviceBus?: { readonly maxConcurrentCalls?: number } } };
}

/** Services built now, so that a bad setting stops the host at start-up (on Azure they are built on first use). */
const composedNow =
  <Services>(compose: (env: Environment) => Services) =>
  (env: Environment): (() => Promise<Services>) => {
    const services = compose(env);
    return async () => services;
  };

/** The three apps, with the same function lists and composition roots their main.ts registers on Azure. */
export const localApps: readonly LocalApp[] = [
  { name: 'intake', functions: (env) => intakeFunctions(composedNow(composeIntake)(env)), hostSettings: intakeHost },
  { name: 'validator', functions: (env) => validatorFunctions(composedNow(composeValidator)(env)), hostSettings: validatorHost },
  { name: 'executor', functions: (env) => executorFunctions(composedNow(composeExecutor)(env)), hostSettings: executorHost },
];

export const appNames = localApps.map((app) => app.name);
