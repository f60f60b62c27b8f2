import type { WorkflowCost } from '@commandflow/usage';
import { medianRun, shortName, type ScenarioRuns } from './benchReport';
import { mergeByLabel } from './statementCounts';
import { formatNumber as f, textTable } from './textTable';

const figureRows: readonly (readonly [string, (cost: WorkflowCost) => number, number?])[] = [
  ['step invocations (executions)', (c) => c.perWorkflow.executions],
  ['execution time, ms (all steps)', (c) => c.perWorkflow.executionMilliseconds],
  ['event-store reads', (c) => c.perWorkflow.storeReads],
  ['bytes read', (c) => c.perWorkflow.storeBytesRead, 0],
  ['event-store writes', (c) => c.perWorkflow.storeWrites],
  ['events written', (c) => c.perWorkflow.eventsWritten],
  ['bytes written', (c) => c.perWorkflow.storeBytesWritten, 0],
  ['request units (estimated)', (c) => c.perWorkflow.requestUnits],
  ['messages sent', (c) => c.perWorkflow.messagesSent],
  ['messages received', (c) => c.perWorkflow.messagesReceived],
  ['$ per 1M: Cosmos DB request units', (c) => c.usdPerMillionWorkflows.cosmosDbRequestUnits],
  ['$ per 1M: Service Bus operations', (c) => c.usdPerMillionWorkflows.serviceBusOperations],
  ['$ per 1M: function executions', (c) => c.usdPerMillionWorkflows.functionExecutions],
  ['$ per 1M: function execution time', (c) => c.usdPerMillionWorkflows.functionExecutionTime],
  ['$ per 1M workflows, total', (c) => c.usdPerMillionWorkflows.total],
];

/**
 * What the cost meter recorded, per workflow on average (median run of each host scenario), and
 * what the meter itself wrote (its usage records, counted from the SQLite statements).
 */
export function meteredTable(groups: readonly ScenarioRuns[]): string {
  const columns = groups.filter((g) => g.scenario !== 'baseline' && medianRun(g).metered);
  if (columns.length === 0) return 'nothing metered (COMMANDFLOW_USAGE_METER=off)';
  const runs = columns.map(medianRun);
  const rows = figureRows.map(([label, pick, digits]) => [label, ...runs.map((run) => f(pick(run.metered as WorkflowCost), digits))]);
  const ownInserts = runs.map((run) => f((mergeByLabel(run.counts).get('usage: insert record (cost meter)')?.calls ?? 0) / run.workflows, 2));
  return textTable(['per workflow (from the meter)', ...columns.map(shortName)], [...rows, ['(the meter itself) usage records inserted', ...ownInserts]]);
}
