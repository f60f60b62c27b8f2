import type { PriceTable } from './priceTable';
import { usageCountNames, type StepUsage, type UsageCounts } from './stepUsage';

/** How a workflow's request units were obtained. */
export type RequestUnitsBasis = 'measured' | 'estimated' | 'mixed' | 'none';

/** What a workflow used, every field named with its unit. */
export interface WorkflowFigures extends UsageCounts {
  /** Function executions (one per step invocation, retries and redeliveries included). */
  readonly executions: number;
  /** Execution time at the price table's instance memory: executionMilliseconds / 1000 × GB. */
  readonly gigabyteSeconds: number;
  /** Service Bus operations: a send for each message sent, a receive and a complete for each message received. */
  readonly serviceBusOperations: number;
  /** Azure Storage transactions the workflow makes: none (its state is in Cosmos DB, its messages in Service Bus). */
  readonly storageOperations: number;
  readonly requestUnitsBasis: RequestUnitsBasis;
}

/** Dollars per 1,000,000 workflows, by meter. */
export interface WorkflowPrice {
  readonly cosmosDbRequestUnits: number;
  readonly serviceBusOperations: number;
  readonly functionExecutions: number;
  readonly functionExecutionTime: number;
  readonly total: number;
}

/** The cost of one or more workflows: the figures of one, on average, and their price. */
export interface WorkflowCost {
  /** How many workflows the figures average over. */
  readonly workflows: number;
  readonly perWorkflow: WorkflowFigures;
  readonly usdPerMillionWorkflows: WorkflowPrice;
  /** The price table used: its date and what each figure stands on. */
  readonly priceTable: Readonly<{ date: string; region: string }>;
}

/** A command's cost, with the usage record of each of its step invocations. */
export interface CommandCost extends WorkflowCost {
  readonly commandId: string;
  readonly steps: readonly StepUsage[];
}

const zeroCounts = (): Record<keyof UsageCounts, number> =>
  Object.fromEntries(usageCountNames.map((name) => [name, 0])) as Record<keyof UsageCounts, number>;

function basisOf(records: readonly StepUsage[]): RequestUnitsBasis {
  const measured = records.filter((record) => record.requestUnitsMeasured).length;
  if (records.length === 0) return 'none';
  return measured === records.length ? 'measured' : measured === 0 ? 'estimated' : 'mixed';
}

/** A workflow's figures from the usage records of its step invocations. */
export function workflowFigures(records: readonly StepUsage[], prices: PriceTable): WorkflowFigures {
  const counts = zeroCounts();
  for (const record of records) for (const name of usageCountNames) counts[name] += record[name];
  return withDerivedFigures(counts, records.length, basisOf(records), prices);
}

function withDerivedFigures(counts: UsageCounts, executions: number, requestUnitsBasis: RequestUnitsBasis, prices: PriceTable): WorkflowFigures {
  const { flexConsumptionInstanceMemoryMegabytes, serviceBusOperationsPerMessageReceived } = prices.assumptions;
  return {
    ...counts,
    executions,
    gigabyteSeconds: (counts.executionMilliseconds / 1000) * (flexConsumptionInstanceMemoryMegabytes.value / 1024),
    serviceBusOperations: counts.messagesSent + counts.messagesReceived * serviceBusOperationsPerMessageReceived.value,
    storageOperations: 0,
    requestUnitsBasis,
  };
}

/**
 * The price of 1,000,000 workflows that each use `figures`, before free grants and base charges.
 * The storage prices of the table are for comparisons (docs/cost.md): a workflow makes no storage transaction.
 */
export function priceWorkflow(figures: WorkflowFigures, { prices }: PriceTable): WorkflowPrice {
  const parts = {
    cosmosDbRequestUnits: figures.requestUnits * prices.cosmosDbServerlessUsdPerMillionRequestUnits.value,
    serviceBusOperations: figures.serviceBusOperations * prices.serviceBusStandardUsdPerMillionOperations.value,
    functionExecutions: figures.executions * prices.flexConsumptionUsdPerMillionExecutions.value,
    functionExecutionTime: figures.gigabyteSeconds * prices.flexConsumptionUsdPerGigabyteSecond.value * 1_000_000,
  };
  return { ...parts, total: Object.values(parts).reduce((sum, part) => sum + part, 0) };
}

const priceTableSummary = ({ date, region }: PriceTable) => ({ date, region });

/** A command's cost from its usage records. */
export function commandCost(commandId: string, records: readonly StepUsage[], prices: PriceTable): CommandCost {
  const perWorkflow = workflowFigures(records, prices);
  return { commandId, workflows: 1, perWorkflow, usdPerMillionWorkflows: priceWorkflow(perWorkflow, prices), priceTable: priceTableSummary(prices), steps: records };
}

/** A cost priced again with another table: the counts stay, the derived figures and the price follow the table. */
export function repriceWorkflowCost(cost: WorkflowCost, prices: PriceTable): WorkflowCost {
  const { perWorkflow } = cost;
  const counts = Object.fromEntries(usageCountNames.map((name) => [name, perWorkflow[name]])) as Record<keyof UsageCounts, number>;
  const figures = withDerivedFigures(counts, perWorkflow.executions, perWorkflow.requestUnitsBasis, prices);
  return { workflows: cost.workflows, perWorkflow: figures, usdPerMillionWorkflows: priceWorkflow(figures, prices), priceTable: priceTableSummary(prices) };
}

const mean = <Key extends string>(values: readonly Readonly<Record<Key, number>>[], keys: readonly Key[]) =>
  Object.fromEntries(keys.map((key) => [key, values.reduce((sum, value) => sum + value[key], 0) / values.length])) as Record<Key, number>;

/**
 * The average workflow of several (every figure and every price part is a mean: both are linear
 * in the counts); undefined for none. The price table is the first one's.
 */
export function averageWorkflowCost(costs: readonly WorkflowCost[]): WorkflowCost | undefined {
  const [first] = costs;
  if (!first) return undefined;
  const figures = costs.map((cost) => cost.perWorkflow);
  const numeric = [...usageCountNames, 'executions', 'gigabyteSeconds', 'serviceBusOperations', 'storageOperations'] as const;
  const [basis = 'none', ...others] = new Set(figures.map((figure) => figure.requestUnitsBasis).filter((known) => known !== 'none'));
  const prices = costs.map((cost) => cost.usdPerMillionWorkflows);
  return {
    workflows: costs.reduce((sum, cost) => sum + cost.workflows, 0),
    perWorkflow: { ...mean(figures, numeric), requestUnitsBasis: others.length > 0 ? 'mixed' : basis },
    usdPerMillionWorkflows: mean(prices, Object.keys(first.usdPerMillionWorkflows) as (keyof WorkflowPrice)[]),
    priceTable: first.priceTable,
  };
}
