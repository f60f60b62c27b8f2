import type { StepUsage } from './stepUsage';

/**
 * Where usage records are kept, keyed by command id. Adapters must pass
 * `describeUsageStoreContract`.
 */
export interface UsageStore {
  /**
   * Writes the records in one write (one SQLite transaction; on Cosmos DB one request per record,
   * sent together). A record whose invocation id is already stored is not stored twice.
   */
  append(records: readonly StepUsage[]): Promise<void>;
  /** Every record of a command, oldest first (by `startedAt`, then `invocationId`); empty if none. */
  usageOf(commandId: string): Promise<readonly StepUsage[]>;
}

/** Oldest first, ties broken by invocation id: the order every UsageStore returns. */
export const byStartThenInvocation = (a: StepUsage, b: StepUsage): number =>
  a.startedAt === b.startedAt ? (a.invocationId < b.invocationId ? -1 : a.invocationId > b.invocationId ? 1 : 0) : a.startedAt < b.startedAt ? -1 : 1;
