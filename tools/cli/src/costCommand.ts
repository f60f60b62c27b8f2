import { InvalidArgumentError, type Command } from 'commander';
import { isTerminalStatus, type CommandStatus } from '@commandflow/projections';
import { priceTableFile } from '@commandflow/runtime';
import { averageWorkflowCost, repriceWorkflowCost, type CommandCost, type PriceTable, type WorkflowCost } from '@commandflow/usage';
import { CliError } from './cliError';
import type { ApiOptions } from './commands';
import type { IntakeClient } from './intakeClient';
import { print } from './output';

interface CostOptions extends ApiOptions {
  readonly last?: number;
  readonly prices?: string;
}

const numberFormat = (digits: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits });
const count = numberFormat(2);
const dollars = (usd: number) => `$${numberFormat(usd < 1 ? 4 : 2).format(usd)}`;

/** The readable report of a cost: the figures of one workflow, then the price of a million. */
export function describeCost(cost: WorkflowCost, title: string): string {
  const f = cost.perWorkflow;
  const p = cost.usdPerMillionWorkflows;
  return [
    title,
    `  executions              ${count.format(f.executions)}  (${count.format(f.executionMilliseconds)} ms, ${numberFormat(5).format(f.gigabyteSeconds)} GB-s)`,
    `  store reads             ${count.format(f.storeReads)}  (${count.format(f.storeBytesRead)} bytes)`,
    `  store writes            ${count.format(f.storeWrites)}  (${count.format(f.storeBytesWritten)} bytes, ${count.format(f.eventsWritten)} events)`,
    `  request units           ${count.format(f.requestUnits)}  (${f.requestUnitsBasis})`,
    `  messages                ${count.format(f.messagesSent)} sent, ${count.format(f.messagesReceived)} received  (${count.format(f.serviceBusOperations)} Service Bus operations)`,
    `price of 1,000,000 such workflows (price table of ${cost.priceTable.date}, ${cost.priceTable.region}; before free grants and base charges)`,
    `  Cosmos DB request units ${dollars(p.cosmosDbRequestUnits)}`,
    `  Service Bus operations  ${dollars(p.serviceBusOperations)}`,
    `  function executions     ${dollars(p.functionExecutions)}`,
    `  function execution time ${dollars(p.functionExecutionTime)}`,
    `  total                   ${dollars(p.total)}`,
  ].join('\n');
}

/** What the cost command shares with the program's other API commands. */
export interface ApiCommandParts {
  /** Adds `--url` and `--json`. */
  readonly apiOptions: (command: Command) => Command;
  readonly client: (options: ApiOptions) => IntakeClient;
  readonly positiveInteger: (name: string) => (value: string) => number;
}

/** `commandflow cost <commandId> | --last n`: what a workflow used and what a million cost, from intake's meter. */
export function addCostCommand(program: Command, { apiOptions, client, positiveInteger }: ApiCommandParts): void {
  const oneToHundred = (value: string) => {
    const n = positiveInteger('--last')(value);
    if (n > 100) throw new InvalidArgumentError('--last must be at most 100');
    return n;
  };
  apiOptions(
    program
      .command('cost [commandId]')
      .description("what a command's workflow used and the price of 1,000,000 such workflows; or, with --last n, the average of the n newest finished commands")
      .option('--last <n>', 'average the newest n commands that have finished (1-100)', oneToHundred)
      .option('--prices <file>', 'price with this price table (JSON) instead of intake’s'),
  ).action(async (commandId: string | undefined, options: CostOptions) => {
    if ((commandId === undefined) === (options.last === undefined)) throw new CliError('Name a command id, or pass --last <n>', 2);
    const prices: PriceTable | undefined = options.prices === undefined ? undefined : priceTableFile(options.prices);
    const api = client(options);
    const costOf = async (id: string) => (await api.request<CommandCost>('GET', `/api/commands/${encodeURIComponent(id)}/cost`)).body;
    if (commandId !== undefined) {
      const cost = await costOf(commandId);
      const priced = prices ? { ...repriceWorkflowCost(cost, prices), commandId, steps: cost.steps } : cost;
      print(options.json, priced, () => describeCost(priced, `command ${commandId}: ${cost.steps.length} step invocations`));
      return;
    }
    const { body } = await api.request<{ items: { commandId: string; status: CommandStatus }[] }>('GET', `/api/commands?limit=${options.last}`);
    const finished = body.items.filter((item) => isTerminalStatus(item.status));
    const costs: WorkflowCost[] = [];
    for (const item of finished) costs.push(await costOf(item.commandId));
    const average = averageWorkflowCost(prices ? costs.map((cost) => repriceWorkflowCost(cost, prices)) : costs);
    if (!average) throw new CliError(`None of the newest ${options.last} commands has finished`);
    const result = { ...average, commandIds: finished.map((item) => item.commandId) };
    print(options.json, result, () => describeCost(average, `the newest ${finished.length} finished commands, per workflow on average`));
  });
}
