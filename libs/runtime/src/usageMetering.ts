import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigurationError, readSettings, settingText, type Environment } from '@commandflow/events';
import type { CosmosMeter } from '@commandflow/cosmos';
import type { EventStore } from '@commandflow/event-store';
import type { MessageSender } from '@commandflow/messaging';
import {
  currentUsageTally,
  defaultPriceTable,
  meteredEventStore,
  meteredMessageSender,
  parsePriceTable,
  requestUnitTableOf,
  UsageMeter,
  type PriceTable,
  type UsageStore,
} from '@commandflow/usage';

/** Settings of the cost meter. */
export const usageSettingNames = {
  /** `on` (default): every step invocation records its usage; `off`: nothing is metered. */
  meter: 'COMMANDFLOW_USAGE_METER',
  /** A price table file (JSON, the shape of the shipped one) to use instead of the shipped table. */
  priceTable: 'COMMANDFLOW_PRICE_TABLE',
} as const;

const usageEnvironment = z.object({
  [usageSettingNames.meter]: settingText.pipe(z.enum(['on', 'off'], 'must be on or off').optional()),
  [usageSettingNames.priceTable]: settingText,
});

/** The cost meter's settings: whether it runs, and the price table (read and checked now). */
export interface UsageSettings {
  readonly metered: boolean;
  readonly prices: PriceTable;
}

/**
 * Reads the cost meter's settings; a price table file is read and checked here, at start-up.
 * @throws ConfigurationError naming the setting.
 */
export function usageSettingsFromEnv(env: Environment): UsageSettings {
  const settings = readSettings(usageEnvironment, env);
  const file = settings[usageSettingNames.priceTable];
  return { metered: settings[usageSettingNames.meter] !== 'off', prices: file === undefined ? defaultPriceTable : priceTableFile(file) };
}

/** Reads and checks a price table file. @throws ConfigurationError naming the setting and the file. */
export function priceTableFile(file: string): PriceTable {
  try {
    return parsePriceTable(readFileSync(file, 'utf8'), file);
  } catch (error) {
    throw new ConfigurationError(usageSettingNames.priceTable, `names ${file}, which is not a usable price table: ${(error as Error).message}`, false);
  }
}

/** Adds each Cosmos DB response's request charge to the invocation being measured. */
export const usageCosmosMeter: CosmosMeter = { record: ({ requestCharge }) => currentUsageTally()?.addRequestCharge(requestCharge) };

/** The workflow's ports, metered when the meter is on. */
export function meteredPorts(
  { eventStore, sender }: { readonly eventStore: EventStore; readonly sender: MessageSender },
  { metered, prices }: UsageSettings,
): { eventStore: EventStore; sender: MessageSender } {
  return metered ? { eventStore: meteredEventStore(eventStore, requestUnitTableOf(prices)), sender: meteredMessageSender(sender) } : { eventStore, sender };
}

/** A meter writing to `usage`, or none when the meter is off. */
export function usageMeterOn(usage: UsageStore, { metered }: UsageSettings, newId: () => string): UsageMeter | undefined {
  return metered ? new UsageMeter(usage, { now: () => new Date(), newId }) : undefined;
}
