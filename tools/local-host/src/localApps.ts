import { composeExecutor, executorFunctions, hostSettings as executorHost } from '@commandflow/executor';
import type { FunctionDefinition } from '@commandflow/functions';
import { composeIntake, intakeFunctions, hostSettings as intakeHost } from '@commandflow/intake';
import type { Environment } from '@commandflow/runtime';
import { composeValidator, validatorFunctions, hostSettings as validatorHost } from '@commandflow/validator';

/** An app as the local host loads it: its function descriptions and its host.json. */
export interface LocalApp {
  readonly name: string;
  /** Builds the app's services now (a bad setting stops the host at start-up) and its function list. */
  readonly functions: (env: Environment) => Promise<FunctionDefinition[]>;
  readonly hostSettings: { readonly extensions?: { readonly serviceBus?: { readonly maxConcurrentCalls?: number } } };
}

/** Services built now, so that a bad setting stops the host at start-up (on Azure they are built on first use). */
async function composedNow<Services>(compose: (env: Environment) => Promise<Services>, env: Environment): Promise<() => Promise<Services>> {
  const services = await compose(env);
  return async () => services;
}

/** The three apps, with the same function lists and composition roots their main.ts registers on Azure. */
export const localApps: readonly LocalApp[] = [
  { name: 'intake', functions: async (env) => intakeFunctions(await composedNow(composeIntake, env)), hostSettings: intakeHost },
  { name: 'validator', functions: async (env) => validatorFunctions(await composedNow(composeValidator, env)), hostSettings: validatorHost },
  { name: 'executor', functions: async (env) => executorFunctions(await composedNow(composeExecutor, env)), hostSettings: executorHost },
];

export const appNames = localApps.map((app) => app.name);
