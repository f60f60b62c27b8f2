import type { StepUsage, UsageStore } from '@commandflow/usage';
import type { CommandflowDatabase } from './commandflowDatabase';

/**
 * The usage table, created by the store itself (idempotently, so any process may be first): the
 * record as JSON, keyed by invocation id, indexed by command for `usageOf`.
 */
const usageSchema = `
  CREATE TABLE IF NOT EXISTS step_usage (
    invocation_id TEXT PRIMARY KEY,
    command_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS step_usage_by_command ON step_usage (command_id, started_at, invocation_id);`;

/** Usage records in the shared database file: a batch is one transaction; a repeated invocation id is ignored. */
export class SqliteUsageStore implements UsageStore {
  private readonly insertBatch: (records: readonly StepUsage[]) => void;
  private readonly selectOfCommand;

  constructor(db: CommandflowDatabase) {
    db.exec(usageSchema);
    const insert = db.prepare<[string, string, string, string]>(
      'INSERT INTO step_usage (invocation_id, command_id, started_at, record) VALUES (?, ?, ?, ?) ON CONFLICT (invocation_id) DO NOTHING',
    );
    this.insertBatch = db.transaction((records: readonly StepUsage[]) => {
      for (const record of records) insert.run(record.invocationId, record.commandId, record.startedAt, JSON.stringify(record));
    }).immediate;
    this.selectOfCommand = db
      .prepare<[string], string>('SELECT record FROM step_usage WHERE command_id = ? ORDER BY started_at, invocation_id')
      .pluck();
  }

  async append(records: readonly StepUsage[]): Promise<void> {
    if (records.length > 0) this.insertBatch(records);
  }

  async usageOf(commandId: string): Promise<readonly StepUsage[]> {
    return this.selectOfCommand.all(commandId).map((json) => JSON.parse(json) as StepUsage);
  }
}
