import { sampleCatalogue } from '@commandflow/commands';
import type { EventStore } from '@commandflow/event-store';
import type { DeadLetters } from '@commandflow/messaging';
import { openAppRuntime, sweepSettingsFromEnv, type Backend, type Environment } from '@commandflow/runtime';
import { appServiceAuthenticationOn } from './appServiceAuthentication';
import type { CommandCatalogue, CommandListStore, DeliveryPolicy, SweepSettings, WorkflowDependencies } from '@commandflow/workflow';
import type { PriceTable, UsageMeter, UsageStore } from '@commandflow/usage';
import { continuationKeyFrom, continuationTokens, type ContinuationTokens } from './continuationTokens';
import { pageSettingsFromEnv, type PageSettings } from './ui/pageSettings';

/** What the intake app's functions use. */
export interface IntakeServices {
  readonly workflow: WorkflowDependencies;
  readonly catalogue: CommandCatalogue;
  readonly eventStore: EventStore;
  readonly listStore: CommandListStore;
  readonly deadLetters: DeadLetters;
  readonly delivery: DeliveryPolicy;
  /** What the stalled-command sweeper treats as stalled and how often it nudges. */
  readonly sweep: SweepSettings;
  /** Step invocations' usage records, read by GET /api/commands/{id}/cost; absent, that route answers 404 usage_not_recorded. */
  readonly usage?: UsageStore;
  /** What costs are priced with. Default `defaultPriceTable`. */
  readonly prices?: PriceTable;
  /** Measures the log step's invocations; absent when metering is off. */
  readonly meter?: UsageMeter;
  /** Signs the list's continuation tokens; default: a random key per process. */
  readonly continuationTokens?: ContinuationTokens;
  /** Whether App Service authentication guards the app, so `x-ms-client-principal` names the caller. Default false. */
  readonly trustClientPrincipal?: boolean;
  /** Who may open the page and whether it may write; absent means the safe default (signed-in users, read-only). */
  readonly page?: PageSettings;
}

/** The intake app's composition root, on the back end its host names. */
export async function composeIntake(env: Environment, backend: Backend, catalogue: CommandCatalogue = sampleCatalogue()): Promise<IntakeServices> {
  const continuationKey = continuationKeyFrom(env);
  const trustClientPrincipal = appServiceAuthenticationOn(env);
  const { workflow, eventStore, listStore, deadLetters, delivery, usage, prices, meter } = await openAppRuntime(env, backend, catalogue);
  const page = pageSettingsFromEnv(env);
  const { sweep } = sweepSettingsFromEnv(env);
  return {
    workflow,
    catalogue,
    eventStore,
    listStore,
    deadLetters,
    delivery,
    sweep,
    usage,
    prices,
    ...(meter ? { meter } : {}),
    continuationTokens: continuationTokens(continuationKey),
    trustClientPrincipal,
    page,
  };
}
