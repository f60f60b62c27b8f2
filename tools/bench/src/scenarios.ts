import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CommandClient } from './commandClient';
import { summariseCpuProfile, type CpuProfileSummary } from './cpuProfileSummary';
import { tallyDatabase, type DatabaseTally } from './databaseTally';
import { meteredUsageOf } from './meteredUsage';
import type { WorkflowCost } from '@commandflow/usage';
import { startHost, trackProcess, type HostMode } from './hostUnderTest';
import { summariseLatencies, type LatencySummary } from './latencySummary';
import { closedLoop, openLoop, type LoadResult, type RunWorkflow } from './loadPatterns';
import type { StatementCounts } from './statementCounts';
import { TerminalWatcher } from './terminalWatcher';

export type Durability = 'process-crash' | 'power-loss';
export type ScenarioName = 'baseline' | 'single' | 'multi' | 'latency' | 'serial' | 'serial-multi';

export const scenarioTitles: Record<ScenarioName, string> = {
  baseline: 'baseline: 3 plain transactions',
  single: 'host, one process',
  multi: 'host, one process per app',
  latency: 'host, one process, open loop',
  serial: 'host, one process, one at a time',
  'serial-multi': 'host, one process per app, one at a time',
};

/** Scenarios that run the apps one process each, under the supervisor. */
const multiProcess: readonly ScenarioName[] = ['multi', 'serial-multi'];
/** Scenarios that submit one workflow at a time to an otherwise idle host. */
export const oneAtATime: readonly ScenarioName[] = ['serial', 'serial-multi'];

/** Where the bundles are and how every run is sized. */
export interface BenchSettings {
  readonly benchScript: string;
  readonly hostScript: string;
  /** The statement counter preload; undefined with --no-count. */
  readonly counterScript?: string;
  /** Folder for the temporary databases (on the disk whose fsync is measured). */
  readonly folder: string;
  readonly count: number;
  readonly concurrency: number;
  readonly warmup: number;
  /** Submit → terminal timeout per workflow, in ms. */
  readonly workflowTimeoutMs: number;
  readonly cpuProfile: boolean;
  readonly keep: boolean;
  /** After the measured run, stay idle this long and count what the host does meanwhile (0: skip). */
  readonly idleSeconds: number;
  /** A database file to copy as each host run's starting store (`--prefill`), or none: an empty store. */
  readonly prefilled?: string;
}

/** One run of one scenario. */
export interface RunResult {
  readonly scenario: ScenarioName;
  readonly durability: Durability;
  readonly workflows: number;
  readonly failures: number;
  readonly firstError?: string;
  /** Workflows per second: workflows over first submit → last terminal. */
  readonly throughput: number;
  /** Submit → terminal status, in ms. */
  readonly latency: LatencySummary;
  /** Submit round trip (HTTP and the log step; the first transaction for the baseline), in ms. */
  readonly submit: LatencySummary;
  /** Open loop: the offered rate (per second) and how late the generator got, in ms. */
  readonly offeredRate?: number;
  readonly maxSubmitLagMs?: number;
  /** Statement counts of every app process over the measured run. */
  readonly counts: readonly StatementCounts[];
  /** Statement counts of every app process while idle after the run (with `idleSeconds`). */
  readonly idle?: readonly StatementCounts[];
  /** CPU the benchmark process itself used over the measured run (HTTP client, watcher), in ms. */
  readonly clientCpuMs?: number;
  readonly peakRss: readonly { readonly role: string; readonly mb: number | undefined }[];
  readonly tally?: DatabaseTally;
  /** The cost meter's average workflow over the measured run (absent when the meter is off). */
  readonly metered?: WorkflowCost;
  readonly cpuProfiles?: readonly { readonly role: string; readonly summary: CpuProfileSummary }[];
  readonly databasePath: string;
}

/** Runs `body` in a fresh temporary folder, deleted afterwards (even on failure) unless `keep`. */
async function inRunFolder<T>(settings: BenchSettings, body: (folder: string) => Promise<T>): Promise<T> {
  mkdirSync(settings.folder, { recursive: true });
  const folder = mkdtempSync(join(settings.folder, 'commandflow-bench-'));
  try {
    return await body(folder);
  } finally {
    if (!settings.keep) rmSync(folder, { recursive: true, force: true });
  }
}

function resultOf(
  scenario: ScenarioName,
  durability: Durability,
  load: LoadResult,
  rest: Pick<RunResult, 'counts' | 'peakRss' | 'databasePath'> & Partial<RunResult>,
): RunResult {
  return {
    scenario,
    durability,
    workflows: load.timings.length,
    failures: load.failures,
    ...(load.firstError === undefined ? {} : { firstError: load.firstError }),
    throughput: (load.timings.length / load.elapsedMs) * 1000,
    latency: summariseLatencies(load.timings.map((t) => t.latencyMs)),
    submit: summariseLatencies(load.timings.map((t) => t.submitMs)),
    ...(load.maxSubmitLagMs === undefined ? {} : { maxSubmitLagMs: load.maxSubmitLagMs }),
    ...rest,
  };
}

/** The baseline, in a child process of its own (so its memory and statements are its own). */
export function runBaselineScenario(settings: BenchSettings, durability: Durability): Promise<RunResult> {
  return inRunFolder(settings, (folder) => runBaselineIn(folder, settings, durability));
}

async function runBaselineIn(folder: string, settings: BenchSettings, durability: Durability): Promise<RunResult> {
  const databasePath = join(folder, 'baseline.db');
  const options = { databasePath, durability, count: settings.count, concurrency: settings.concurrency, warmup: settings.warmup };
  const child = fork(settings.benchScript, ['baseline-process', JSON.stringify(options)], {
    execArgv: settings.counterScript ? ['--require', settings.counterScript] : [],
    env: { ...process.env, COMMANDFLOW_BENCH_COUNTS_DIR: folder },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackProcess(child);
  const reply = await new Promise<{ load: LoadResult; peakRssMb: number | undefined }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { load: LoadResult; peakRssMb: number | undefined }));
    child.once('exit', (code) => reject(new Error(`The baseline process exited with ${code} before reporting`)));
  });
  await new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
  const countsFile = join(folder, `${child.pid}-2.json`);
  const counts = settings.counterScript && existsSync(countsFile) ? [JSON.parse(readFileSync(countsFile, 'utf8')) as StatementCounts] : [];
  return resultOf('baseline', durability, reply.load, {
    counts,
    peakRss: [{ role: 'baseline', mb: reply.peakRssMb }],
    tally: tallyDatabase(databasePath),
    databasePath,
  });
}

/**
 * The local host from its bundle: `single` (all three apps in one process) or `multi` (the
 * supervisor, one process per app), closed loop; or `latency`: one process, open loop at
 * `ratePerSecond`. A warm-up of `settings.warmup` workflows runs first and is not counted.
 */
export function runHostScenario(
  settings: BenchSettings,
  scenario: Exclude<ScenarioName, 'baseline'>,
  durability: Durability,
  ratePerSecond?: number,
): Promise<RunResult> {
  return inRunFolder(settings, (folder) => runHostIn(folder, settings, scenario, durability, ratePerSecond));
}

async function runHostIn(
  folder: string,
  settings: BenchSettings,
  scenario: Exclude<ScenarioName, 'baseline'>,
  durability: Durability,
  ratePerSecond: number | undefined,
): Promise<RunResult> {
  const databasePath = join(folder, 'commandflow.db');
  if (settings.prefilled) copyFileSync(settings.prefilled, databasePath);
  const cpuProfileDir = settings.cpuProfile ? join(folder, 'cpu-profiles') : undefined;
  const mode: HostMode = multiProcess.includes(scenario) ? 'multi' : 'single';
  const concurrency = oneAtATime.includes(scenario) ? 1 : settings.concurrency;
  const host = await startHost({
    mode,
    hostScript: settings.hostScript,
    ...(settings.counterScript ? { counterScript: settings.counterScript } : {}),
    databasePath,
    durability,
    countsDir: folder,
    ...(cpuProfileDir ? { cpuProfileDir } : {}),
  });
  const roles = new Map(host.allProcesses.map(({ pid, role }) => [pid, role]));
  const watcher = new TerminalWatcher(databasePath);
  const client = new CommandClient(host.url, randomUUID().slice(0, 8), Math.max(settings.concurrency, 64));
  const run: RunWorkflow = async (index) => {
    const submittedAt = performance.now();
    const commandId = await client.submit(index);
    const submitMs = performance.now() - submittedAt;
    const { status, seenAt } = await watcher.terminal(commandId, settings.workflowTimeoutMs);
    if (status !== 'Completed') throw new Error(`Command ${commandId} ended ${status}`);
    return { submittedAt, submitMs, latencyMs: seenAt - submittedAt, finishedAt: seenAt };
  };

  let load: LoadResult;
  let counts: StatementCounts[];
  let idle: StatementCounts[] | undefined;
  let peakRss: { role: string; mb: number | undefined }[];
  let clientCpuMs: number;
  let measuredFrom: number;
  try {
    const warm = await closedLoop(settings.warmup, concurrency, run);
    if (warm.failures > 0) throw new Error(`The warm-up failed: ${warm.firstError}\n${host.stderrTail()}`);
    await host.snapshotCounts();
    const clientCpu = process.cpuUsage();
    measuredFrom = Date.now();
    load =
      scenario === 'latency'
        ? await openLoop(settings.count, ratePerSecond as number, run, settings.warmup)
        : await closedLoop(settings.count, concurrency, run, settings.warmup);
    const clientCpuUsed = process.cpuUsage(clientCpu);
    clientCpuMs = (clientCpuUsed.user + clientCpuUsed.system) / 1000;
    counts = await host.snapshotCounts();
    peakRss = host.peakRss();
    if (settings.idleSeconds > 0 && settings.counterScript) {
      await new Promise((resolve) => setTimeout(resolve, settings.idleSeconds * 1000));
      idle = await host.snapshotCounts();
    }
  } finally {
    watcher.close();
    client.close();
    await host.stop();
  }
  const cpuProfiles =
    cpuProfileDir && existsSync(cpuProfileDir)
      ? readdirSync(cpuProfileDir)
          .filter((file) => file.endsWith('.cpuprofile'))
          .map((file) => ({ role: roles.get(Number(file.split('.')[3])) ?? file, summary: summariseCpuProfile(join(cpuProfileDir, file)) }))
      : undefined;
  const metered = meteredUsageOf(databasePath, measuredFrom);
  return resultOf(scenario, durability, load, {
    counts,
    ...(idle ? { idle } : {}),
    clientCpuMs,
    peakRss,
    tally: tallyDatabase(databasePath, measuredFrom),
    ...(metered ? { metered } : {}),
    databasePath,
    ...(ratePerSecond === undefined ? {} : { offeredRate: ratePerSecond }),
    ...(cpuProfiles ? { cpuProfiles } : {}),
  });
}
