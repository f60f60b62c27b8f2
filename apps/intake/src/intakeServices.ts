import { z } from 'zod';
import { sampleCatalogue } from '@commandflow/commands';
import { readSettings, settingText } from '@commandflow/events';
import type { EventStore } from '@commandflow/event-store';
import type { DeadLetters } from '@commandflow/messaging';
import { openAppRuntime, type Backend, type Environment } from '@commandflow/runtime';
import { appSettingNames } from '@commandflow/topology';
import type { CommandCatalogue, CommandListStore, DeliveryPolicy, WorkflowDependencies } from '@commandflow/workflow';
import { continuationKeyFrom, continuationTokens, type ContinuationTokens } from './continuationTokens';

/** What the intake app's functions use. */
export interface IntakeServices {
  readonly workflow: WorkflowDependencies;
  readonly catalogue: CommandCatalogue;
  readonly eventStore: EventStore;
  readonly listStore: CommandListStore;
  readonly deadLetters: DeadLetters;
  readonly delivery: DeliveryPolicy;
  /** Signs the list's continuation tokens; default: a random key per process. */
  readonly continuationTokens?: ContinuationTokens;
  /** Whether App Service authentication guards the app, so `x-ms-client-principal` names the caller. Default false. */
  readonly trustClientPrincipal?: boolean;
}

/** The intake app's composition root, on the back end its host names. */
export async function composeIntake(env: Environment, backend: Backend, catalogue: CommandCatalogue = sampleCatalogue()): Promise<IntakeServices> {
  const continuationKey = continuationKeyFrom(env);
  const trustClientPrincipal = appServiceAuthenticationOn(env);
  const { workflow, eventStore, listStore, deadLetters, delivery } = await openAppRuntime(env, backend, catalogue);
  return { workflow, catalogue, eventStore, listStore, deadLetters, delivery, continuationTokens: continuationTokens(continuationKey), trustClientPrincipal };
}

const appServiceAuthenticationEnvironment = z.object({
  [appSettingNames.appServiceAuthentication]: settingText.pipe(z.enum(['true', 'false'], 'must be true or false').optional()),
});

/** `COMMANDFLOW_APP_SERVICE_AUTH`: `true` where infra enabled App Service authentication; unset or `false` elsewhere. */
export function appServiceAuthenticationOn(env: Environment): boolean {
  return readSettings(appServiceAuthenticationEnvironment, env)[appSettingNames.appServiceAuthentication] === 'true';
}
