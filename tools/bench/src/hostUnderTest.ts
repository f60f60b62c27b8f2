import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { childPids, commandLineOf, peakRssMb } from './processInfo';
import type { StatementCounts } from './statementCounts';

export type HostMode = 'single' | 'multi';

export interface HostOptions {
  readonly mode: HostMode;
  /** The bundled local host (dist/bench/host.js). */
  readonly hostScript: string;
  /** The bundled statement counter, preloaded into every host process; none: not counted. */
  readonly counterScript?: string;
  readonly databasePath: string;
  readonly durability: 'process-crash' | 'power-loss';
  /** Where the counter writes its snapshots. */
  readonly countsDir: string;
  /** Write a V8 CPU profile of every host process here. */
  readonly cpuProfileDir?: string;
}

export interface HostProcess {
  readonly pid: number;
  /** `intake`, `validator`, `executor`, `all three apps` or `supervisor`. */
  readonly role: string;
}

/** The local host, started from its bundle as a child process (or a supervisor and one process per app). */
export interface HostUnderTest {
  readonly url: string;
  /** The processes that run apps (not the supervisor). */
  readonly appProcesses: readonly HostProcess[];
  readonly allProcesses: readonly HostProcess[];
  /** Asks every app process for its statement counts since the previous snapshot (and resets them). */
  snapshotCounts(): Promise<StatementCounts[]>;
  /** Peak RSS (VmHWM) of every process so far, in MB. */
  peakRss(): { role: string; mb: number | undefined }[];
  /** The last lines the host wrote to stderr. */
  stderrTail(): string;
  stop(): Promise<void>;
}

const startTimeoutMs = 60_000;

/** Every process this module started and has not seen exit: killed if the benchmark itself exits early. */
const livePids = new Set<number>();
let cleanupInstalled = false;

/** Kills `child` if the benchmark exits before it does. */
export function trackProcess(child: ChildProcess): void {
  track(child.pid);
  child.once('exit', () => livePids.delete(child.pid as number));
}

function track(pid: number | undefined): void {
  if (pid === undefined) return;
  livePids.add(pid);
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', () => {
    for (const live of livePids) {
      try {
        process.kill(live, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}

/**
 * Starts the host on a free port: `--single-process`, or the supervisor (one process per app).
 * Ready once the intake answers HTTP (and, for the supervisor, its three app processes run).
 */
export async function startHost(options: HostOptions): Promise<HostUnderTest> {
  const port = await freePort();
  const args = options.mode === 'single' ? ['--single-process', '--port', String(port)] : ['--port', String(port)];
  const child = fork(options.hostScript, args, {
    execArgv: [
      ...(options.counterScript ? ['--require', options.counterScript] : []),
      ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    ],
    env: {
      ...process.env,
      COMMANDFLOW_DATABASE: options.databasePath,
      COMMANDFLOW_DURABILITY: options.durability,
      COMMANDFLOW_BENCH_COUNTS_DIR: options.countsDir,
    },
    // Invocation log lines go to /dev/null, as cheaply as a host can write them; errors are kept.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  trackProcess(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    const url = `http://127.0.0.1:${port}`;
    const appProcesses = options.mode === 'single' ? [{ pid: child.pid as number, role: 'all three apps' }] : await appChildren(child);
    // The supervisor's children outlive a SIGKILLed supervisor: track them too.
    if (options.mode === 'multi') appProcesses.forEach(({ pid }) => track(pid));
    await untilServing(url, child);
    const allProcesses = options.mode === 'single' ? appProcesses : [...appProcesses, { pid: child.pid as number, role: 'supervisor' }];
    let snapshots = 0;
    return {
      url,
      appProcesses,
      allProcesses,
      async snapshotCounts() {
        snapshots++;
        if (!options.counterScript) return [];
        for (const { pid } of appProcesses) process.kill(pid, 'SIGUSR2');
        return Promise.all(appProcesses.map(({ pid }) => readSnapshot(join(options.countsDir, `${pid}-${snapshots}.json`))));
      },
      peakRss: () => allProcesses.map(({ pid, role }) => ({ role, mb: peakRssMb(pid) })),
      stderrTail: () => stderr,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
        appProcesses.forEach(({ pid }) => livePids.delete(pid));
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`The host did not start: ${error instanceof Error ? error.message : String(error)}\n${stderr}`);
  }
}

/** The supervisor's three app processes, once all of them are running. */
async function appChildren(supervisor: ChildProcess): Promise<HostProcess[]> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (supervisor.exitCode !== null) throw new Error(`the supervisor exited with ${supervisor.exitCode}`);
    const apps = childPids(supervisor.pid as number).flatMap((pid) => {
      const argv = commandLineOf(pid);
      const app = argv[argv.indexOf('--app') + 1];
      return argv.includes('--app') && app ? [{ pid, role: app }] : [];
    });
    if (apps.length === 3) return apps.sort((a, b) => a.role.localeCompare(b.role));
    await delay(50);
  }
  throw new Error(`the supervisor did not start three app processes in ${startTimeoutMs} ms`);
}

async function untilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const ok = await fetch(new URL('/api/command-types', url)).then(
      async (response) => (await response.arrayBuffer(), response.ok),
      () => false,
    );
    if (ok) return;
    await delay(50);
  }
  throw new Error(`${url} did not answer in ${startTimeoutMs} ms`);
}

async function readSnapshot(file: string): Promise<StatementCounts> {
  const deadline = Date.now() + 10_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`No statement counts in ${file}`);
    await delay(10);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as StatementCounts;
}

/** A port that was free a moment ago on 127.0.0.1 (the supervisor's apps need a number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
