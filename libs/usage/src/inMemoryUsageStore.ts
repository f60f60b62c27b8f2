import type { StepUsage } from './stepUsage';
import { byStartThenInvocation, type UsageStore } from './usageStore';

/** Usage records in process memory, for tests and the in-process workflow. */
export class InMemoryUsageStore implements UsageStore {
  private readonly records = new Map<string, StepUsage>();

  async append(records: readonly StepUsage[]): Promise<void> {
    for (const record of records) if (!this.records.has(record.invocationId)) this.records.set(record.invocationId, { ...record });
  }

  async usageOf(commandId: string): Promise<readonly StepUsage[]> {
    return [...this.records.values()].filter((record) => record.commandId === commandId).sort(byStartThenInvocation);
  }
}
