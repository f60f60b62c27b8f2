import { ServiceBusClient } from '@azure/service-bus';
import { startServiceBusTestPeer, type ServiceBusTestPeer } from '@commandflow/servicebus-test-peer';
import { bundleHost, eventually, freePort, startHostProcess, type HostProcess } from '@commandflow/testing';
import { sampleCatalogue } from '@commandflow/commands';
import { SqliteEventStore, openCommandflowDatabase } from '@commandflow/sqlite';
import { logCommand } from '@commandflow/workflow';
import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPriceTable, type CommandCost, type WorkflowCost } from '@commandflow/usage';

/** Every CLI command, run as a person runs it (a real process), against the local host and the Service Bus test peer. */
jest.setTimeout(120_000);

const workspaceRoot = path.resolve(__dirname, '../../..');
const bundle = bundleHost();
const cliScript = path.join(bundle.dir, 'cli.js');
execFileSync(process.execPath, [path.join(workspaceRoot, 'tools/cli/bundle.mjs'), cliScript], { cwd: workspaceRoot });

let host: HostProcess;
let env: Record<string, string>;
beforeAll(async () => {
  const databasePath = path.join(bundle.dir, 'cli.db');
  // A command stalls after 2 s here; the sweeper's timer never fires during the run (only `sweep` sweeps).
  host = await startHostProcess(bundle.script, {
    singleProcess: true,
    env: { COMMANDFLOW_DATABASE: databasePath, MAX_DELIVERY_COUNT: '2', COMMANDFLOW_STALL_AFTER: 'PT2S', COMMANDFLOW_SWEEP_SCHEDULE: '0 0 0 1 1 *' },
  });
  env = { COMMANDFLOW_URL: host.url, COMMANDFLOW_DATABASE: databasePath, MAX_DELIVERY_COUNT: '2' };
});
afterAll(async () => {
  await host.stop();
  bundle.cleanup();
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const cli = (args: string[], extraEnv: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, [cliScript, ...args], { env: { ...process.env, ...env, ...extraEnv }, cwd: bundle.dir }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const json = async <T>(args: string[]): Promise<T> => {
  const run = await cli([...args, '--json']);
  if (run.code !== 0) throw new Error(`commandflow ${args.join(' ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
};
const submitLeague = async (leagueName: string) => (await cli(['submit', 'create-league', '-p', `leagueName=${leagueName}`])).stdout.trim();

describe('commandflow CLI against the local host', () => {
  it('submit prints the command id; watch follows it to Completed (exit 0)', async () => {
    const commandId = await submitLeague('CLI Lions');
    expect(commandId).toMatch(/^[0-9a-f-]{36}$/);
    const watched = await cli(['watch', commandId]);
    expect(watched).toMatchObject({ code: 0, stdout: expect.stringContaining('Completed') });
  });

  it('submit takes JSON parameter values and an idempotency key', async () => {
    const first = await json<{ commandId: string; existing: boolean }>(['submit', 'create-league', '-p', 'leagueName=Keyed CLI', '--idempotency-key', 'cli-key-1']);
    const again = await json<{ commandId: string; existing: boolean }>(['submit', 'create-league', '-p', 'leagueName=Keyed CLI', '--idempotency-key', 'cli-key-1']);
    expect(again).toMatchObject({ commandId: first.commandId, existing: true });
    expect(first.existing).toBe(false);
    const reused = await cli(['submit', 'create-league', '-p', 'leagueName=Other', '--idempotency-key', 'cli-key-1']);
    expect(reused).toMatchObject({ code: 1, stderr: expect.stringContaining('idempotency_key_reused, HTTP 422') });
  });

  it('watch ends with exit 3 for a command that ends Invalid', async () => {
    const commandId = await submitLeague('');
    expect(await cli(['watch', commandId])).toMatchObject({ code: 3, stdout: expect.stringContaining('Invalid') });
  });

  it('status (now, as of a version, as of an instant), events and list', async () => {
    const commandId = await submitLeague('CLI History');
    await cli(['watch', commandId]);
    expect(await json(['status', commandId])).toMatchObject({ status: 'Completed', parameters: { leagueName: 'CLI History' } });
    expect(await json(['status', commandId, '--as-of-version', '2'])).toMatchObject({ status: 'Created', version: 2 });
    const readable = await cli(['status', commandId]);
    expect(readable.stdout).toMatch(/status: Completed \(version 4\)/);
    const { events } = await json<{ events: { type: string }[] }>(['events', commandId]);
    expect(events.map((e) => e.type)).toEqual(['CommandCreated', 'ParameterSet', 'ValidationSucceeded', 'CommandCompleted']);
    const createdAt = (await json<{ createdAt: string }>(['status', commandId])).createdAt;
    expect(await json(['status', commandId, '--as-of', createdAt])).toMatchObject({ status: 'Created' });
    const listed = await eventually(
      () => json<{ items: { commandId: string }[] }>(['list', '--status', 'Completed', '--type', 'create-league', '--limit', '100']),
      (page) => page.items.some((i) => i.commandId === commandId),
    );
    expect(listed.items.length).toBeGreaterThan(0);
    expect((await cli(['list', '--limit', '1'])).stdout).toMatch(/Completed|Invalid/);
  });

  it('inject sends the message the previous step would send, and the host handles it idempotently', async () => {
    const commandId = await submitLeague('CLI Injected');
    await cli(['watch', commandId]);
    const sent = await json<{ count: number; message: { messageId: string; subject: string; properties: Record<string, unknown> } }>([
      'inject', '--queue', 'execute', '--command-id', commandId, '--message-id', `${commandId}:redrive`, '--property', 'reason=test', '--count', '2',
    ]);
    expect(sent).toMatchObject({
      count: 2,
      message: { messageId: `${commandId}:redrive`, subject: 'create-league', properties: { commandId, commandType: 'create-league', reason: 'test' } },
    });
    await eventually(async () => host.output(), (output) => output.split(`executeCommand ${commandId}`).length >= 3);
    const { events } = await json<{ events: { type: string }[] }>(['events', commandId]);
    expect(events.filter((e) => e.type === 'CommandCompleted')).toHaveLength(1);
  });

  it('dlq list, show, resubmit and purge on the local queue', async () => {
    await cli(['inject', '--queue', 'validate', '--command-id', 'ghost-command', '--no-lookup']);
    const [letter] = await eventually(
      () => json<{ sequenceNumber: number; messageId: string; reason: string; description: string }[]>(['dlq', 'list', '--queue', 'validate']),
      (letters) => letters.some((l) => l.messageId === 'ghost-command:validate'),
    );
    expect(letter).toMatchObject({ messageId: 'ghost-command:validate', reason: 'command_not_found', description: expect.stringContaining('No command with this id') });
    expect(await json(['dlq', 'show', '--queue', 'validate', '--sequence-number', String(letter?.sequenceNumber)])).toMatchObject({ body: { commandId: 'ghost-command' } });
    expect(await json(['dlq', 'resubmit', '--queue', 'validate', '--sequence-number', String(letter?.sequenceNumber)])).toEqual([
      { sequenceNumber: letter?.sequenceNumber, messageId: `ghost-command:validate:resubmit:${letter?.sequenceNumber}` },
    ]);
    await eventually(() => json<unknown[]>(['dlq', 'list', '--queue', 'validate']), (letters) => letters.length === 1);
    expect(await json(['dlq', 'purge', '--queue', 'validate'])).toEqual({ purged: 1 });
    expect((await cli(['dlq', 'list', '--queue', 'validate'])).stdout).toContain('no dead letters');
  });

  it('stalled lists a command whose step message was lost, sweep nudges it and it completes; projections rebuild restores the command list', async () => {
    const db = openCommandflowDatabase({ path: env['COMMANDFLOW_DATABASE']! });
    try {
      const dropped = { send: async () => undefined };
      const deps = { eventStore: new SqliteEventStore(db), sender: dropped, catalogue: sampleCatalogue(), now: () => new Date(), newId: randomUUID };
      const { commandId } = await logCommand(deps, { commandType: 'create-league', parameters: { leagueName: 'CLI Stalled' }, actor: 'tester', source: 'cli' });
      const stalled = await eventually(
        () => json<{ items: { commandId: string; status: string; nudges: number }[] }>(['stalled']),
        (listed) => listed.items.some((item) => item.commandId === commandId),
      );
      expect(stalled.items).toContainEqual(expect.objectContaining({ commandId, status: 'Created', nudges: 0 }));
      expect((await cli(['stalled'])).stdout).toMatch(new RegExp(`Created +create-league ${commandId} nudges=0`));
      const swept = await json<{ nudged: { commandId: string; messageId: string }[] }>(['sweep']);
      expect(swept.nudged).toContainEqual(expect.objectContaining({ commandId, messageId: `${commandId}:validate:sweep-2-1` }));
      expect(await cli(['watch', commandId])).toMatchObject({ code: 0 });

      db.prepare('DELETE FROM command_list WHERE command_id = ?').run(commandId);
      const rebuilt = await json<{ target: string; events: number; applied: number }>(['projections', 'rebuild', '--batch-size', '7']);
      expect(rebuilt).toMatchObject({ target: expect.stringContaining('cli.db'), events: expect.any(Number), applied: expect.any(Number) });
      expect(rebuilt.applied).toBeGreaterThanOrEqual(4);
      const { items } = await json<{ items: { commandId: string; status: string }[] }>(['list', '--limit', '100']);
      expect(items).toContainEqual(expect.objectContaining({ commandId, status: 'Completed' }));
      expect((await cli(['sweep'])).stdout).toMatch(/^checked \d+: 0 nudged, 0 given up, 0 repaired$/m);
    } finally {
      db.close();
    }
  });

  it('fails clearly: unknown command id, unreachable endpoint, bad flags; and has --help everywhere', async () => {
    expect(await cli(['status', '00000000-0000-4000-8000-000000000000'])).toMatchObject({ code: 1, stderr: expect.stringContaining('No command with id') });
    expect(await cli(['inject', '--queue', 'validate', '--command-id', 'nope'])).toMatchObject({ code: 1, stderr: expect.stringContaining('No command with id nope') });
    const closedPort = await freePort();
    expect(await cli(['list', '--url', `http://127.0.0.1:${closedPort}`])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`Cannot reach http://127.0.0.1:${closedPort} (ECONNREFUSED)`),
    });
    expect(await cli(['inject', '--queue', 'bogus', '--command-id', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining("argument 'bogus' is invalid") });
    expect(await cli(['status'])).toMatchObject({ code: 2, stderr: expect.stringContaining("missing required argument 'commandId'") });
    expect(await cli(['list', '--status', 'Sleeping'])).toMatchObject({ code: 2 });
    expect(await cli(['dlq', 'resubmit', '--queue', 'validate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--sequence-number') });
    for (const command of [[], ['submit'], ['status'], ['events'], ['watch'], ['list'], ['inject'], ['dlq'], ['dlq', 'list'], ['dlq', 'show'], ['dlq', 'resubmit'], ['dlq', 'purge'], ['stalled'], ['sweep'], ['projections'], ['projections', 'rebuild']]) {
      const help = await cli([...command, '--help']);
      expect([command.join(' '), help.code, help.stdout]).toEqual([command.join(' '), 0, expect.stringContaining('Usage: commandflow')]);
    }
  });
});

describe('commandflow cost against the local host (the figures intake\'s meter recorded)', () => {
  it('reports a finished command’s three steps, each field named with its unit, and the price of a million', async () => {
    const commandId = (await cli(['submit', 'create-league', '-p', 'leagueName=Costly Lions'])).stdout.trim();
    expect(await cli(['watch', commandId])).toMatchObject({ code: 0 });
    // The meter writes in batches (about once a second): the last step's record follows shortly.
    const cost = await eventually(() => json<CommandCost>(['cost', commandId]), (answer) => answer.steps.length === 3);
    expect(cost.steps.map((step) => step.step)).toEqual(['log', 'validate', 'execute']);
    expect(cost.perWorkflow).toMatchObject({ executions: 3, messagesSent: 2, messagesReceived: 2, serviceBusOperations: 6, requestUnitsBasis: 'estimated' });
    expect(cost.perWorkflow.storeWrites).toBeGreaterThanOrEqual(3);
    expect(cost.usdPerMillionWorkflows.total).toBeGreaterThan(0);
    expect(cost.priceTable.date).toBe(defaultPriceTable.date);

    const readable = await cli(['cost', commandId]);
    expect(readable).toMatchObject({ code: 0, stdout: expect.stringContaining('price of 1,000,000 such workflows') });
    expect(readable.stdout).toContain('request units');
  });

  it('averages the newest finished commands with --last, and prices with another table with --prices', async () => {
    const ours: string[] = [];
    for (const name of ['Averaged A', 'Averaged B', 'Averaged C']) {
      const commandId = (await cli(['submit', 'create-league', '-p', `leagueName=${name}`])).stdout.trim();
      await cli(['watch', commandId]);
      await eventually(() => json<CommandCost>(['cost', commandId]), (answer) => answer.steps.length === 3);
      ours.unshift(commandId);
    }
    const average = await json<WorkflowCost & { commandIds: string[] }>(['cost', '--last', '3']);
    expect(average.commandIds).toEqual(ours);
    expect(average.workflows).toBe(3);
    expect(average.perWorkflow.executions).toBe(3);

    const free = structuredClone(defaultPriceTable);
    for (const figure of Object.values(free.prices)) figure.value = 0;
    const file = path.join(bundle.dir, 'free-prices.json');
    writeFileSync(file, JSON.stringify({ ...free, date: '2027-01-01' }));
    const repriced = await json<WorkflowCost>(['cost', '--last', '3', '--prices', file]);
    expect(repriced).toMatchObject({ usdPerMillionWorkflows: { total: 0 }, priceTable: { date: '2027-01-01' }, perWorkflow: { requestUnits: average.perWorkflow.requestUnits } });
  });

  it('fails clearly: neither or both of an id and --last, an unknown command, a bad price table', async () => {
    expect(await cli(['cost'])).toMatchObject({ code: 2, stderr: expect.stringContaining('Name a command id, or pass --last <n>') });
    expect(await cli(['cost', 'some-id', '--last', '2'])).toMatchObject({ code: 2 });
    expect(await cli(['cost', '--last', '101'])).toMatchObject({ code: 2, stderr: expect.stringContaining('at most 100') });
    expect(await cli(['cost', 'no-such-command'])).toMatchObject({ code: 1, stderr: expect.stringContaining('command_not_found, HTTP 404') });
    const bad = path.join(bundle.dir, 'bad-prices.json');
    writeFileSync(bad, '{"date": "yesterday"}');
    expect(await cli(['cost', '--last', '1', '--prices', bad])).toMatchObject({ code: 1, stderr: expect.stringContaining('not a usable price table') });
  });
});

describe('commandflow CLI against Service Bus (the AMQP test peer)', () => {
  let peer: ServiceBusTestPeer;
  beforeAll(async () => {
    peer = await startServiceBusTestPeer({ maxDeliveryCount: 3 });
  });
  afterAll(() => peer.close());
  const sb = { SB_CONNECTION: '' };
  beforeEach(() => (sb.SB_CONNECTION = peer.connectionString));

  it('inject sends to a Service Bus queue; the same message id three times is kept once', async () => {
    const run = await cli(['inject', '--queue', 'validate', '--command-id', 'sb-command-1', '--no-lookup', '--count', '3', '--connection-string-env', 'SB_CONNECTION', '--json'], sb);
    expect(run.code).toBe(0);
    expect(peer.messages('validate')).toEqual([expect.objectContaining({ messageId: 'sb-command-1:validate', body: { commandId: 'sb-command-1' } })]);
  });

  it('dlq list, show, resubmit and purge on Service Bus', async () => {
    const client = new ServiceBusClient(peer.connectionString);
    await client.createSender('execute').sendMessages([1, 2].map((n) => ({ messageId: `poison-${n}`, body: { commandId: `p${n}` }, contentType: 'application/json' })));
    const receiver = client.createReceiver('execute');
    for (const message of await receiver.receiveMessages(2, { maxWaitTimeInMs: 2_000 })) {
      await receiver.deadLetterMessage(message, { deadLetterReason: 'Poison', deadLetterErrorDescription: 'not a command' });
    }
    await receiver.close();
    await client.close();
    const run = (args: string[]) => cli([...args, '--connection-string-env', 'SB_CONNECTION', '--json'], sb).then((r) => {
      if (r.code !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout);
    });
    const letters = (await run(['dlq', 'list', '--queue', 'execute'])) as { sequenceNumber: number; messageId: string; reason: string }[];
    expect(letters.map((l) => [l.messageId, l.reason])).toEqual([
      ['poison-1', 'Poison'],
      ['poison-2', 'Poison'],
    ]);
    expect(await run(['dlq', 'show', '--queue', 'execute', '--sequence-number', String(letters[0]?.sequenceNumber)])).toMatchObject({
      body: { commandId: 'p1' },
      description: 'not a command',
    });
    expect(await run(['dlq', 'resubmit', '--queue', 'execute', '--sequence-number', String(letters[0]?.sequenceNumber)])).toEqual([
      { sequenceNumber: letters[0]?.sequenceNumber, messageId: `poison-1:resubmit:${letters[0]?.sequenceNumber}` },
    ]);
    expect(peer.messages('execute').map((m) => m.messageId)).toEqual([`poison-1:resubmit:${letters[0]?.sequenceNumber}`]);
    expect(await run(['dlq', 'purge', '--queue', 'execute'])).toEqual({ purged: 1 });
    expect(peer.deadLetters('execute')).toEqual([]);
  });
});
