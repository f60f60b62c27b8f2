import { composeExecutor, executorFunctions, hostSettings as executorHost } from '@commandflow/executor';
import type { FunctionDefinition } from '@commandflow/functions';
import { composeIntake, intakeFunctions, hostSettings as intakeHost } from '@commandflow/intake';
import { sampleCatalogue } from '@commandflow/commands';
import { sweepSettingsFromEnv, type Environment } from '@commandflow/runtime';
import type { CommandCatalogue } from '@commandflow/workflow';
import { composeValidator, validatorFunctions, hostSettings as validatorHost } from '@commandflow/validator';

/** An app as the local host loads it: its function descriptions and its host.json. */
export interface LocalApp {
  readonly name: string;
  /** Builds the app's services now (a bad setting stops the host at start-up) and its function list. */
  readonly functions: (env: Environment) => Promise<FunctionDefinition[]>;
  readonly hostSettings: { readonly extensions?: { readonly serviceBus?: { readonly maxConcurrentCalls?: number } } };
}

/**
 * Services built now on the embedded default, so that a bad setting stops the host at start-up
 * (on Azure they are built on first use).
 */
async function composedNow<Services>(
  compose: (env: Environment, backend: 'embedded', catalogue: CommandCatalogue) => Promise<Services>,
  env: Environment,
  catalogue: CommandCatalogue,
): Promise<() => Promise<Services>> {
  const services = await compose(env, 'embedded', catalogue);
  return async () => services;
}

/**
 * The three apps, with the same function lists and composition roots their main.ts registers on
 * Azure, running a catalogue of commands (the sample catalogue unless given).
 */
export function localAppsOf(catalogue: CommandCatalogue = sampleCatalogue()): readonly LocalApp[] {
  return [
    {
      name: 'intake',
      functions: async (env) => intakeFunctions(await composedNow(composeIntake, env, catalogue), { sweepSchedule: sweepSettingsFromEnv(env).schedule }),
      hostSettings: intakeHost,
    },
    { name: 'validator', functions: async (env) => validatorFunctions(await composedNow(composeValidator, env, catalogue)), hostSettings: validatorHost },
    { name: 'executor', functions: async (env) => executorFunctions(await composedNow(composeExecutor, env, catalogue)), hostSettings: executorHost },
  ];
}

export const localApps = localAppsOf();

export const appNames = localApps.map((app) => app.name);
