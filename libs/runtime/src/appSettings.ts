import { z } from 'zod';
import { readSettings, settingText, type Environment } from '@commandflow/events';
import { appSettingNames, durationMs } from '@commandflow/topology';
import { defaultDeliveryPolicy, type DeliveryPolicy } from '@commandflow/workflow';
import { cosmosSettingsFromEnv, type CosmosSettings } from '@commandflow/cosmos';
import { serviceBusSettingsFromEnv, type ServiceBusSettings } from '@commandflow/service-bus';
import type { EmbeddedStoresOptions } from '@commandflow/sqlite';

/**
 * Where an app's events and messages live. `azure`: Cosmos DB and Service Bus, what each app's
 * main.ts registers with the Functions host (locally too, under `func start` with emulators).
 * `embedded`: one SQLite file, only ever chosen by the local host (`npm start`).
 */
export type Backend = 'azure' | 'embedded';

/** Settings of the delivery policy and of the embedded default (the Azure ones are in @commandflow/topology). */
export const settingNames = {
  /** The attempt on which a step gives up (the queues' maxDeliveryCount). Default 10. */
  maxDeliveryCount: appSettingNames.maxDeliveryCount,
  /** ISO-8601 back-off before the second attempt; it doubles each attempt. Default PT1S. */
  retryDelay: 'COMMANDFLOW_RETRY_DELAY',
  /** ISO-8601 longest back-off. Default PT5M. */
  retryMaxDelay: 'COMMANDFLOW_RETRY_MAX_DELAY',
  /** The SQLite file of the embedded default. Default `./.data/commandflow.db`. */
  databasePath: 'COMMANDFLOW_DATABASE',
  /** `process-crash` (default: survives kill -9) or `power-loss` (an fsync per commit). */
  durability: 'COMMANDFLOW_DURABILITY',
  /** Peek-lock duration of the local queues, in ms. Default the topology's (PT1M). */
  lockDurationMs: 'COMMANDFLOW_LOCK_DURATION_MS',
} as const;

/** The embedded default's settings; what is absent takes the SQLite adapters' own defaults. */
export interface EmbeddedSettings {
  readonly databasePath: string;
  readonly durability?: 'process-crash' | 'power-loss';
  readonly lockDurationMs?: number;
}

/** An app's settings, validated at start-up. */
export type AppSettings = Readonly<{ delivery: DeliveryPolicy }> &
  (Readonly<{ backend: 'azure'; cosmos: CosmosSettings; serviceBus: ServiceBusSettings }> | Readonly<{ backend: 'embedded'; embedded: EmbeddedSettings }>);

/** The one place the embedded database's default path is declared. */
export const defaultDatabasePath = './.data/commandflow.db';

const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return settingText.pipe(z.coerce.number<string>(message).int(message).min(min, message).max(max, message).optional());
};

const isoDuration = settingText.refine((value) => value === undefined || isDuration(value), {
  message: 'must be an ISO-8601 duration such as PT1S or PT5M',
});

function isDuration(value: string): boolean {
  try {
    return durationMs(value) > 0;
  } catch {
    return false;
  }
}

const deliveryEnvironment = z
  .object({
    [settingNames.maxDeliveryCount]: wholeNumber(1, 2000),
    [settingNames.retryDelay]: isoDuration,
    [settingNames.retryMaxDelay]: isoDuration,
  })
  .transform(
    (env): DeliveryPolicy => ({
      maxAttempts: env[settingNames.maxDeliveryCount] ?? defaultDeliveryPolicy.maxAttempts,
      baseDelayMs: orDefault(env[settingNames.retryDelay], defaultDeliveryPolicy.baseDelayMs),
      maxDelayMs: orDefault(env[settingNames.retryMaxDelay], defaultDeliveryPolicy.maxDelayMs),
    }),
  );

const orDefault = (duration: string | undefined, fallbackMs: number) => (duration === undefined ? fallbackMs : durationMs(duration));

const embeddedEnvironment = z
  .object({
    [settingNames.databasePath]: settingText,
    [settingNames.durability]: settingText.pipe(z.enum(['process-crash', 'power-loss'], 'must be process-crash or power-loss').optional()),
    [settingNames.lockDurationMs]: wholeNumber(100, 300_000),
  })
  .transform(
    (env): EmbeddedSettings => ({
      databasePath: env[settingNames.databasePath] ?? defaultDatabasePath,
      ...defined({ durability: env[settingNames.durability], lockDurationMs: env[settingNames.lockDurationMs] }),
    }),
  );

/**
 * Reads an app's settings for its back end. On `azure`, a missing or bad Cosmos DB or Service Bus
 * setting stops start-up with a message naming it.
 * @throws ConfigurationError naming the setting.
 */
export function appSettingsFromEnv(env: Environment, backend: Backend): AppSettings {
  const delivery = readSettings(deliveryEnvironment, env);
  if (backend === 'embedded') return { backend, delivery, embedded: readSettings(embeddedEnvironment, env) };
  return { backend, delivery, cosmos: cosmosSettingsFromEnv(env), serviceBus: serviceBusSettingsFromEnv(env) };
}

/** How every process of the local host (its apps, its supervisor, the CLI) opens the embedded default's file. */
export function embeddedStoresOptions(env: Environment): EmbeddedStoresOptions {
  const { delivery, embedded } = appSettingsFromEnv(env, 'embedded') as Extract<AppSettings, { backend: 'embedded' }>;
  return {
    path: embedded.databasePath,
    ...defined({ durability: embedded.durability }),
    queue: { maxDeliveryCount: delivery.maxAttempts, ...defined({ lockDurationMs: embedded.lockDurationMs }) },
  };
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
