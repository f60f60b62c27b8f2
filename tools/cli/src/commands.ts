import { Command, InvalidArgumentError, Option } from 'commander';
import { commandStreamId, workflowEventCodec, type Json } from '@commandflow/events';
import { commandState, commandStatuses, isTerminalStatus, type CommandState } from '@commandflow/projections';
import { queueNames, type QueueName } from '@commandflow/topology';
import { rebuildCommandList, stepMessage, type RebuildReport, type StalledCommand, type SweepReport } from '@commandflow/workflow';
import { rebuildTarget } from './rebuildTargets';
import { CliError } from './cliError';
import { IntakeClient } from './intakeClient';
import { parseAssignment, print, withProgress } from './output';
import { localQueueTarget, type QueueTarget } from './queueTargets';
import { defaultDatabasePath, settingNames } from '@commandflow/runtime';
import { serviceBusQueueTarget } from './serviceBusTarget';
import { addCostCommand } from './costCommand';

export interface ApiOptions {
  readonly url: string;
  readonly json?: boolean;
}

interface QueueOptions {
  readonly json?: boolean;
  readonly namespace?: string;
  readonly connectionStringEnv?: string;
  readonly database?: string;
}

const defaultUrl = process.env['COMMANDFLOW_URL'] ?? 'http://127.0.0.1:7071';
const client = ({ url }: ApiOptions) => new IntakeClient({ url, functionKey: process.env['COMMANDFLOW_FUNCTION_KEY'] });

const positiveInteger = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
  return n;
};
const wholeNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];

const apiOptions = (command: Command) =>
  command
    .option('--url <url>', 'intake URL (env COMMANDFLOW_URL); a deployed app takes its function key from COMMANDFLOW_FUNCTION_KEY', defaultUrl)
    .option('--json', 'print JSON for scripts');

const queueOptions = (command: Command) =>
  command
    .option('--namespace <fqns>', 'Service Bus namespace (<name>.servicebus.windows.net), reached with DefaultAzureCredential')
    .option('--connection-string-env <variable>', 'the environment variable holding a Service Bus connection string')
    .option('--database <path>', `the local SQLite file (env ${settingNames.databasePath}; default ${defaultDatabasePath})`)
    .option('--json', 'print JSON for scripts');

/** The local queue unless a Service Bus namespace or connection string is named. */
function queueTarget(options: QueueOptions): QueueTarget {
  if (options.namespace || options.connectionStringEnv) return serviceBusQueueTarget(options);
  return localQueueTarget({ ...process.env, ...(options.database ? { [settingNames.databasePath]: options.database } : {}) });
}

async function withQueueTarget<T>(options: QueueOptions, work: (target: QueueTarget) => Promise<T>): Promise<T> {
  const target = queueTarget(options);
  try {
    return await work(target);
  } finally {
    await target.close();
  }
}

const queueName = (value: string): QueueName => {
  const names = Object.values(queueNames) as string[];
  if (!names.includes(value)) throw new InvalidArgumentError(`expected one of ${names.join(', ')}`);
  return value as QueueName;
};

const describeState = (state: CommandState): string => {
  if (state.status === 'Empty') return 'status: Empty (the command did not exist yet at that point)';
  const lines = [`${state.commandType} ${state.commandId}`, `status: ${state.status} (version ${state.version})`, `actor: ${state.actor} via ${state.source}`];
  for (const [name, value] of Object.entries(state.parameters)) lines.push(`  ${name} = ${JSON.stringify(value)}`);
  for (const issue of state.errors) lines.push(`error ${issue.rule}${issue.parameter ? ` (${issue.parameter})` : ''}: ${issue.message}`);
  for (const issue of state.warnings) lines.push(`warning ${issue.rule}${issue.parameter ? ` (${issue.parameter})` : ''}: ${issue.message}`);
  if (state.status === 'Completed' && state.result !== undefined) lines.push(`result: ${JSON.stringify(state.result)}`);
  if (state.status === 'Failed') {
    lines.push(`failure: ${state.failure.code}: ${state.failure.message} (the ${state.failure.step} step gave up on attempt ${state.failure.attempts})`);
  }
  return lines.join('\n');
};

/** The command's state, from the intake API when a URL is given, else from the local store. */
async function lookUpCommand(commandId: string, options: QueueOptions & { url?: string }, target: QueueTarget): Promise<CommandState> {
  if (options.url) return (await client({ url: options.url }).request<CommandState>('GET', `/api/commands/${encodeURIComponent(commandId)}`)).body;
  if (!target.eventStore) throw new CliError('Pass --url <intake URL> to look the command up, or --no-lookup to send only its id', 2);
  const { events } = await target.eventStore.readStream(commandStreamId(commandId));
  const state = commandState(workflowEventCodec.decodeAll(events));
  if (state.status === 'Empty') throw new CliError(`No command with id ${commandId}`);
  return state;
}

export function buildProgram(): Command {
  const program = new Command('commandflow')
    .description('Submit, inspect and re-drive commandflow commands; inject queue messages; manage dead letters.')
    .showHelpAfterError()
    .exitOverride();

  apiOptions(
    program
      .command('submit <commandType>')
      .description('submit a command; prints its id')
      .option('-p, --param <name=value>', 'a parameter (repeatable); JSON values are parsed, anything else is text', collect)
      .option('--idempotency-key <key>', 'the same key and type again finds the existing command'),
  ).action(async (commandType: string, options: ApiOptions & { param?: string[]; idempotencyKey?: string }) => {
    const parameters = Object.fromEntries((options.param ?? []).map(parseAssignment)) as Record<string, Json>;
    const { status, body } = await client(options).request<{ commandId: string; status: string }>('POST', `/api/commands/${encodeURIComponent(commandType)}`, {
      body: { parameters },
      ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
    });
    print(options.json, { ...body, existing: status === 200 }, () => (status === 200 ? `${body.commandId} (existing)` : body.commandId));
  });

  apiOptions(
    program
      .command('status <commandId>')
      .description("a command's state, now or as of a version or instant")
      .addOption(new Option('--as-of-version <n>', 'the state after version n').argParser(wholeNumber).conflicts('asOf'))
      .option('--as-of <iso>', 'the state at an ISO-8601 instant'),
  ).action(async (commandId: string, options: ApiOptions & { asOfVersion?: number; asOf?: string }) => {
    const query = options.asOfVersion !== undefined ? `?asOfVersion=${options.asOfVersion}` : options.asOf ? `?asOf=${encodeURIComponent(options.asOf)}` : '';
    const { body } = await client(options).request<CommandState>('GET', `/api/commands/${encodeURIComponent(commandId)}${query}`);
    print(options.json, body, () => describeState(body));
  });

  apiOptions(program.command('events <commandId>').description("a command's event stream, in version order")).action(
    async (commandId: string, options: ApiOptions) => {
      const { body } = await client(options).request<{ events: { version: number; type: string; data: unknown; metadata: { occurredAt: string } }[] }>(
        'GET',
        `/api/commands/${encodeURIComponent(commandId)}/events`,
      );
      print(options.json, body, () => body.events.map((e) => `v${e.version} ${e.metadata.occurredAt} ${e.type} ${JSON.stringify(e.data)}`).join('\n'));
    },
  );

  apiOptions(
    program
      .command('watch <commandId>')
      .description('follow a command until it reaches a terminal status (exit 0 when Completed, 3 otherwise)')
      .option('--timeout <seconds>', 'give up after this long', positiveInteger('--timeout'), 60),
  ).action(async (commandId: string, options: ApiOptions & { timeout: number }) => {
    const deadline = Date.now() + options.timeout * 1000;
    let seen = '';
    for (;;) {
      const { body } = await client(options).request<CommandState>('GET', `/api/commands/${encodeURIComponent(commandId)}`);
      if (body.status !== seen && !options.json) process.stdout.write(`${new Date().toISOString()} ${body.status}\n`);
      seen = body.status;
      if (isTerminalStatus(body.status)) {
        if (options.json) print(true, body, () => '');
        process.exitCode = body.status === 'Completed' ? 0 : 3;
        return;
      }
      if (Date.now() > deadline) throw new CliError(`Command ${commandId} is still ${body.status} after ${options.timeout} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  apiOptions(
    program
      .command('list')
      .description('commands from the read model, newest first')
      .addOption(new Option('--status <status>', 'only this status').choices(commandStatuses))
      .option('--type <commandType>', 'only this command type')
      .option('--limit <n>', 'at most n (1-100)', positiveInteger('--limit'), 20)
      .option('--continuation <token>', 'the next page, from a previous --json list'),
  ).action(async (options: ApiOptions & { status?: string; type?: string; limit: number; continuation?: string }) => {
    const query = new URLSearchParams({ limit: String(options.limit) });
    if (options.status) query.set('status', options.status);
    if (options.type) query.set('commandType', options.type);
    if (options.continuation) query.set('continuation', options.continuation);
    const { body } = await client(options).request<{ items: { commandId: string; commandType: string; status: string; createdAt: string }[]; continuation: string | null }>(
      'GET',
      `/api/commands?${query}`,
    );
    print(options.json, body, () =>
      [...body.items.map((i) => `${i.createdAt} ${i.status.padEnd(9)} ${i.commandType} ${i.commandId}`), ...(body.continuation ? ['(more: --continuation …)'] : [])].join('\n') ||
      'no commands',
    );
  });

  queueOptions(
    program
      .command('inject')
      .description('send exactly the message the previous step would send (to test one app alone, or re-drive a stuck command)')
      .requiredOption('--queue <queue>', `the queue (${Object.values(queueNames).join(', ')})`, queueName)
      .requiredOption('--command-id <id>', 'the command the message names')
      .option('--count <n>', 'send it n times (the same message id: duplicate detection keeps one)', positiveInteger('--count'), 1)
      .option('--message-id <id>', 'another message id (default <commandId>:<queue>, which duplicate detection drops within its window)')
      .option('--property <key=value>', 'an extra application property (repeatable)', collect)
      .option('--url <url>', 'look the command up through this intake URL instead of the local store')
      .option('--no-lookup', 'do not look the command up: send only its id'),
  ).action(
    async (
      options: QueueOptions & { queue: QueueName; commandId: string; count: number; messageId?: string; property?: string[]; url?: string; lookup: boolean },
    ) => {
      await withQueueTarget(options, async (target) => {
        const state = options.lookup ? await lookUpCommand(options.commandId, options, target) : undefined;
        const base =
          state && state.status !== 'Empty'
            ? stepMessage(options.commandId, options.queue, state)
            : { messageId: `${options.commandId}:${options.queue}`, body: { commandId: options.commandId }, properties: { commandId: options.commandId } };
        const extra = Object.fromEntries((options.property ?? []).map(parseAssignment)) as Record<string, string | number | boolean>;
        const message = { ...base, messageId: options.messageId ?? base.messageId, properties: { ...base.properties, ...extra } };
        await withProgress(`inject ${options.queue}`, options.count, options.json, () => target.queue.send(options.queue, message));
        print(options.json, { queue: options.queue, target: target.name, count: options.count, message }, () =>
          `sent ${options.count} × ${message.messageId} to ${options.queue} on ${target.name}`,
        );
      });
    },
  );

  const dlq = program.command('dlq').description('dead-lettered messages of a queue: list, show, resubmit, purge');
  const dlqCommand = (name: string, description: string) =>
    queueOptions(dlq.command(name).description(description).requiredOption('--queue <queue>', 'the queue', queueName));
  dlqCommand('list', 'list dead letters, oldest first')
    .option('--limit <n>', 'at most n', positiveInteger('--limit'), 100)
    .action(async (options: QueueOptions & { queue: QueueName; limit: number }) =>
      withQueueTarget(options, async (target) => {
        const letters = await target.queue.list(options.queue, { limit: options.limit });
        print(options.json, letters, () =>
          letters.map((l) => `#${l.sequenceNumber} ${l.messageId} deliveries=${l.deliveryCount} ${l.reason}: ${l.description ?? ''}`).join('\n') ||
          `no dead letters on ${options.queue}`,
        );
      }),
    );
  dlqCommand('show', 'one dead letter, with its body and properties')
    .requiredOption('--sequence-number <n>', 'which one (from dlq list)', wholeNumber)
    .action(async (options: QueueOptions & { queue: QueueName; sequenceNumber: number }) =>
      withQueueTarget(options, async (target) => {
        const letter = await target.queue.peek(options.queue, options.sequenceNumber);
        if (!letter) throw new CliError(`No dead letter #${options.sequenceNumber} on ${options.queue}`);
        print(options.json, letter, () => JSON.stringify(letter, null, 2));
      }),
    );
  dlqCommand('resubmit', 'put dead letters back on the queue: one (--sequence-number) or all (--all)')
    .addOption(new Option('--sequence-number <n>', 'which one').argParser(wholeNumber).conflicts('all'))
    .option('--all', 'every dead letter of the queue')
    .action(async (options: QueueOptions & { queue: QueueName; sequenceNumber?: number; all?: boolean }) =>
      withQueueTarget(options, async (target) => {
        if (options.sequenceNumber === undefined && !options.all) throw new CliError('Name one with --sequence-number, or pass --all', 2);
        const sequenceNumbers =
          options.sequenceNumber !== undefined
            ? [options.sequenceNumber]
            : (await target.queue.list(options.queue, { limit: 10_000 })).map((l) => l.sequenceNumber);
        const resubmitted: { sequenceNumber: number; messageId: string }[] = [];
        await withProgress('resubmit', sequenceNumbers.length, options.json, async (n) => {
          const sequenceNumber = sequenceNumbers[n - 1] as number;
          const copy = await target.queue.resubmit(options.queue, sequenceNumber);
          if (!copy) throw new CliError(`No dead letter #${sequenceNumber} on ${options.queue}`);
          resubmitted.push({ sequenceNumber, messageId: copy.messageId });
        });
        print(options.json, resubmitted, () => resubmitted.map((r) => `#${r.sequenceNumber} → ${r.messageId}`).join('\n') || 'nothing to resubmit');
      }),
    );
  dlqCommand('purge', 'delete every dead letter of the queue').action(async (options: QueueOptions & { queue: QueueName }) =>
    withQueueTarget(options, async (target) => {
      const purged = await target.queue.purge(options.queue);
      print(options.json, { purged }, () => `purged ${purged} dead letters from ${options.queue}`);
    }),
  );
  apiOptions(
    program
      .command('stalled')
      .description('unfinished commands without a new event for COMMANDFLOW_STALL_AFTER (the read model), with the sweeper\'s nudges')
      .option('--limit <n>', 'at most n (1-100)', positiveInteger('--limit'), 50),
  ).action(async (options: ApiOptions & { limit: number }) => {
    const { body } = await client(options).request<{ stallAfterMs: number; items: StalledCommand[] }>('GET', `/api/stalled-commands?limit=${options.limit}`);
    print(options.json, body, () =>
      body.items
        .map((c) => `${c.updatedAt} ${c.status.padEnd(9)} ${c.commandType} ${c.commandId} nudges=${c.nudges}${c.gaveUpAt ? ` gave up ${c.gaveUpAt}` : ''}`)
        .join('\n') || `no stalled commands (none unfinished without a new event for ${body.stallAfterMs / 1000} s)`,
    );
  });

  apiOptions(program.command('sweep').description('run one sweep now: repair lagging read-model documents, nudge stalled commands')).action(
    async (options: ApiOptions) => {
      const { body } = await client(options).request<SweepReport>('POST', '/api/sweeps');
      print(options.json, body, () =>
        [
          ...body.repaired.map((r) => `repaired ${r.commandId}: version ${r.fromVersion} → ${r.toVersion} (${r.status})`),
          ...body.nudged.map((n) => `nudged ${n.commandId} (${n.status}): ${n.queue} as ${n.messageId}`),
          ...body.gaveUp.map((g) => `gave up on ${g.commandId} (${g.status}) after ${g.nudges} nudges`),
          `checked ${body.checked}: ${body.nudged.length} nudged, ${body.gaveUp.length} given up, ${body.repaired.length} repaired`,
        ].join('\n'),
      );
    },
  );

  const projections = program.command('projections').description('the read models');
  projections
    .command('rebuild')
    .description('rebuild the command list from the event store (safe while the apps run): the local feed from position 0, or Cosmos DB\'s change feed')
    .option('--database <path>', `the local SQLite file (env ${settingNames.databasePath}; default ${defaultDatabasePath})`)
    .option('--cosmos-endpoint <url>', 'rebuild on Azure: the Cosmos DB account endpoint, reached with DefaultAzureCredential')
    .option('--cosmos-database <name>', 'the Cosmos DB database', 'commandflow')
    .option('--batch-size <n>', 'events per batch', positiveInteger('--batch-size'), 500)
    .option('--json', 'print JSON for scripts')
    .action(async (options: { database?: string; cosmosEndpoint?: string; cosmosDatabase: string; batchSize: number; json?: boolean }) => {
      const target = rebuildTarget(options);
      let report: RebuildReport;
      try {
        report = await rebuildCommandList(target.projection, target.replay(options.batchSize));
      } finally {
        await target.close();
      }
      print(options.json, { target: target.name, ...report }, () =>
        [
          `rebuilt the command list on ${target.name} from ${report.events} events in ${report.batches} batches: ` +
            `${report.applied} applied, ${report.rebuilt} documents re-folded, ${report.duplicates} already there`,
          ...report.setAside.map((e) => `set aside ${e.streamId} v${e.version} (${e.type}): ${e.reason}`),
        ].join('\n'),
      );
    });
  addCostCommand(program, { apiOptions, client, positiveInteger });
  return program;
}
