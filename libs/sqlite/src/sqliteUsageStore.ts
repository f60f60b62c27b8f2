import type { StepUsage, UsageStore } from '@commandflow/usage';
import type { CommandflowDatabase } from './commandflowDatabase';
import { TransactionPerWrite, type WriteScheduler } from './groupCommit';

/**
 * Usage records in the shared database file (table `step_usage`, schema version 4), the record as
 * JSON keyed by invocation id: a batch is one write; a repeated invocation id is ignored.
 */
export class SqliteUsageStore implements UsageStore {
  private readonly insertBatch: (records: readonly StepUsage[]) => void;
  private readonly selectOfCommand;
  private readonly writes: WriteScheduler;

  /** `writes`: how batches commit; default each in its own transaction. */
  constructor(db: CommandflowDatabase, { writes }: { readonly writes?: WriteScheduler } = {}) {
    this.writes = writes ?? new TransactionPerWrite(db);
    const insert = db.prepare<[string, string, string, string]>(
      'INSERT INTO step_usage (invocation_id, command_id, started_at, record) VALUES (?, ?, ?, ?) ON CONFLICT (invocation_id) DO NOTHING',
    );
    this.insertBatch = (records: readonly StepUsage[]) => {
      for (const record of records) insert.run(record.invocationId, record.commandId, record.startedAt, JSON.stringify(record));
    };
    this.selectOfCommand = db
      .prepare<[string], string>('SELECT record FROM step_usage WHERE command_id = ? ORDER BY started_at, invocation_id')
      .pluck();
  }

  async append(records: readonly StepUsage[]): Promise<void> {
    if (records.length > 0) await this.writes.write(() => this.insertBatch(records));
  }

  async usageOf(commandId: string): Promise<readonly StepUsage[]> {
    return this.selectOfCommand.all(commandId).map((json) => JSON.parse(json) as StepUsage);
  }
}
