import { ValidationError } from '@commandflow/events';
import { appSettingNames, defaultQueueSettings } from '@commandflow/topology';

/** Environment variables the embedded default reads (besides the Azure ones in @commandflow/topology). */
export const embeddedSettingNames = {
  /** The SQLite file. Default `./.data/commandflow.db`. */
  databasePath: 'COMMANDFLOW_DATABASE',
  /** `process-crash` (default: survives kill -9) or `power-loss` (an fsync per commit). */
  durability: 'COMMANDFLOW_DURABILITY',
  /** Peek-lock duration of the local queues, in ms. Default 60000 (Service Bus's PT1M). */
  lockDurationMs: 'COMMANDFLOW_LOCK_DURATION_MS',
} as const;

export interface RuntimeSettings {
  readonly databasePath: string;
  readonly durability: 'process-crash' | 'power-loss';
  readonly maxDeliveryCount: number;
  readonly lockDurationMs: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** A setting that is missing or malformed: start-up stops with a message that names it. */
export class ConfigurationError extends ValidationError {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super('invalid_configuration', `Setting ${setting}: ${problem}`, { setting });
  }
}

/** Reads an integer setting in [min, max], or its default when unset. */
export function integerSetting(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** The settings every app shares, validated. */
export function runtimeSettingsFromEnv(env: Environment): RuntimeSettings {
  const durability = env[embeddedSettingNames.durability] || 'process-crash';
  if (durability !== 'process-crash' && durability !== 'power-loss') {
    throw new ConfigurationError(embeddedSettingNames.durability, `expected process-crash or power-loss, got ${JSON.stringify(durability)}`);
  }
  return {
    databasePath: env[embeddedSettingNames.databasePath] || './.data/commandflow.db',
    durability,
    maxDeliveryCount: integerSetting(env, appSettingNames.maxDeliveryCount, defaultQueueSettings.maxDeliveryCount, 1, 2000),
    lockDurationMs: integerSetting(env, embeddedSettingNames.lockDurationMs, 60_000, 100, 300_000),
  };
}
