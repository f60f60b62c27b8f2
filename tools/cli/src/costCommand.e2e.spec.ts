import { defaultPriceTable, type CommandCost, type WorkflowCost } from '@commandflow/usage';
import { bundleHost, eventually, startHostProcess, type HostProcess } from '@commandflow/testing';
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** `commandflow cost`, run as a person runs it, against the local host: the figures intake's meter recorded. */
jest.setTimeout(120_000);

const workspaceRoot = path.resolve(__dirname, '../../..');
const bundle = bundleHost();
const cliScript = path.join(bundle.dir, 'cli.js');
execFileSync(process.execPath, [path.join(workspaceRoot, 'tools/cli/bundle.mjs'), cliScript], { cwd: workspaceRoot });

let host: HostProcess;
beforeAll(async () => {
  host = await startHostProcess(bundle.script, { singleProcess: true, env: { COMMANDFLOW_DATABASE: path.join(bundle.dir, 'cost.db') } });
});
afterAll(async () => {
  await host.stop();
  bundle.cleanup();
});

const cli = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [cliScript, ...args], { env: { ...process.env, COMMANDFLOW_URL: host.url }, cwd: bundle.dir }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const json = async <T>(args: string[]): Promise<T> => {
  const run = await cli([...args, '--json']);
  if (run.code !== 0) throw new Error(`commandflow ${args.join(' ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
};

describe('commandflow cost', () => {
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
    for (const name of ['Averaged A', 'Averaged B']) {
      const commandId = (await cli(['submit', 'create-league', '-p', `leagueName=${name}`])).stdout.trim();
      await cli(['watch', commandId]);
      await eventually(() => json<CommandCost>(['cost', commandId]), (answer) => answer.steps.length === 3);
    }
    const average = await json<WorkflowCost & { commandIds: string[] }>(['cost', '--last', '3']);
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
