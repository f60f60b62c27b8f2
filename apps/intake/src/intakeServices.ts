import { sampleCatalogue } from '@commandflow/commands';
import type { EventStore } from '@commandflow/event-store';
import { appSettingNames } from '@commandflow/topology';
import { ConfigurationError, openAppRuntime, type Environment } from '@commandflow/runtime';
import type { CommandCatalogue, CommandListStore, WorkflowDependencies } from '@commandflow/workflow';

/** What the intake app's functions use. */
export interface IntakeServices {
  readonly workflow: WorkflowDependencies;
  readonly catalogue: CommandCatalogue;
  readonly eventStore: EventStore;
  readonly listStore: CommandListStore;
  /** Whether App Service authentication guards the app, so `x-ms-client-principal` names the caller. Default false. */
  readonly trustClientPrincipal?: boolean;
}

/** The intake app's composition root: settings from the environment, adapters from the settings. */
export async function composeIntake(env: Environment): Promise<IntakeServices> {
  const runtime = await openAppRuntime(env, sampleCatalogue());
  return {
    workflow: runtime.workflow,
    catalogue: runtime.workflow.catalogue,
    eventStore: runtime.eventStore,
    listStore: runtime.listStore,
    trustClientPrincipal: appServiceAuthenticationOn(env),
  };
}

/** `COMMANDFLOW_APP_SERVICE_AUTH`: `true` where infra enabled App Service authentication; unset or `false` elsewhere. */
export function appServiceAuthenticationOn(env: Environment): boolean {
  const name = appSettingNames.appServiceAuthentication;
  const value = env[name];
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigurationError(name, `expected true or false, got ${JSON.stringify(value)}`);
}
