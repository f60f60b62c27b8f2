import Database from 'better-sqlite3';
import { averageWorkflowCost, commandCost, defaultPriceTable, type PriceTable, type StepUsage, type WorkflowCost } from '@commandflow/usage';

/**
 * The cost meter's figures for a finished run, read from its file (the host stopped, so every
 * record was flushed): the average workflow over the commands logged at or after `measuredFrom`
 * (ms since the epoch), priced with `prices`. Undefined when the run metered nothing.
 */
export function meteredUsageOf(databasePath: string, measuredFrom: number, prices: PriceTable = defaultPriceTable): WorkflowCost | undefined {
  const db = new Database(databasePath, { fileMustExist: true });
  try {
    const table = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'step_usage'").pluck().get();
    if (!table) return undefined;
    const byCommand = new Map<string, StepUsage[]>();
    for (const json of db.prepare<[], string>('SELECT record FROM step_usage ORDER BY started_at, invocation_id').pluck().iterate()) {
      const record = JSON.parse(json) as StepUsage;
      byCommand.set(record.commandId, [...(byCommand.get(record.commandId) ?? []), record]);
    }
    const since = new Date(measuredFrom).toISOString();
    const measured = [...byCommand].filter(([, records]) => records.some((record) => record.step === 'log' && record.startedAt >= since));
    return averageWorkflowCost(measured.map(([commandId, records]) => commandCost(commandId, records, prices)));
  } finally {
    db.close();
  }
}
