import { Command, InvalidArgumentError, Option } from 'commander';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBaseline } from './baseline';
import { aimsReport, idleTable, latencyTable, memoryTable, profileReport, statementTable, throughputTable, timeTable, trafficTable, type ScenarioRuns } from './benchReport';
import { formatNumber } from './textTable';
import { prefilledDatabase } from './prefill';
import { meteredTable } from './meteredReport';
import { fileSystemOf, peakRssMb } from './processInfo';
import { runBaselineScenario, runHostScenario, scenarioTitles, type BenchSettings, type Durability, type RunResult, type ScenarioName } from './scenarios';

const scenarioNames: readonly ScenarioName[] = ['baseline', 'single', 'multi', 'latency', 'serial', 'serial-multi'];
const durabilities: readonly Durability[] = ['process-crash', 'power-loss'];

const positiveInteger = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return parsed;
};

const nonNegative = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return parsed;
};

const listOf =
  <T extends string>(allowed: readonly T[]) =>
  (value: string): T[] => {
    const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
    const unknown = items.filter((item) => !allowed.includes(item as T));
    if (items.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`expected a comma-separated list of ${allowed.join(', ')}`);
    return items as T[];
  };

const rates = (value: string) =>
  value.split(',').map((item) => {
    const rate = Number(item);
    if (!Number.isFinite(rate) || rate <= 0) throw new InvalidArgumentError('expected comma-separated workflows per second, e.g. 100,500');
    return rate;
  });

interface CliOptions {
  count: number;
  concurrency: number;
  warmup: number;
  repeat: number;
  rate: number[];
  latencySeconds: number;
  scenarios: ScenarioName[];
  durability: Durability[];
  multiDurability?: Durability[];
  latencyDurability?: Durability[];
  dir: string;
  timeout: number;
  idleSeconds: number;
  statementCounts: boolean;
  cpuProf: boolean;
  keep: boolean;
  json?: string;
  statements: boolean;
  prefill: number;
}

const program = new Command()
  .name('bench')
  .description(
    'Measures commandflow on the embedded default: workflows/s and submit → terminal latency of create-league commands, ' +
      'against a baseline of three plain SQLite transactions per workflow. Prints tables; asserts nothing.',
  )
  .addOption(new Option('-n, --count <n>', 'workflows per measured run').argParser(positiveInteger).default(500))
  .addOption(new Option('-c, --concurrency <c>', 'closed loop: workflows in flight').argParser(positiveInteger).default(32))
  .addOption(new Option('--warmup <n>', 'workflows run (and not counted) before each measured run').argParser(positiveInteger).default(100))
  .addOption(new Option('--repeat <k>', 'runs of each closed-loop scenario; the tables show medians').argParser(positiveInteger).default(3))
  .addOption(new Option('--rate <list>', 'open loop: offered workflows per second, one latency run each').argParser(rates).default([500, 50], '500,50'))
  .addOption(new Option('--latency-seconds <s>', 'open loop: how long to offer load').argParser(positiveInteger).default(5))
  .addOption(
    new Option('--scenarios <list>', `which to run: ${scenarioNames.join(', ')}`).argParser(listOf(scenarioNames)).default([...scenarioNames], scenarioNames.join(',')),
  )
  .addOption(
    new Option('--durability <list>', 'durabilities of the baseline and one-process runs: process-crash (synchronous=NORMAL, the default) and/or power-loss (synchronous=FULL)')
      .argParser(listOf(durabilities))
      .default([...durabilities], durabilities.join(',')),
  )
  .addOption(new Option('--multi-durability <list>', 'durabilities of the several-process runs (default: process-crash if --durability has it)').argParser(listOf(durabilities)))
  .addOption(new Option('--latency-durability <list>', 'durabilities of the open-loop runs (default: process-crash if --durability has it)').argParser(listOf(durabilities)))
  .addOption(new Option('--dir <folder>', 'where the temporary databases go (use a real disk: fsync is measured)').default(tmpdir(), 'the OS temp folder'))
  .addOption(new Option('--idle-seconds <s>', 'after the first run of each host scenario, count what the idle host does for this long (0: skip)').argParser(nonNegative).default(2))
  .addOption(new Option('--prefill <events>', 'start every host run on a store already holding this many events (finished workflows; built once, copied per run)').argParser(nonNegative).default(0))
  .addOption(new Option('--timeout <s>', 'seconds a workflow may take from submit to terminal before it counts as failed').argParser(positiveInteger).default(120))
  .option('--no-statement-counts', 'do not preload the SQLite statement counter (no per-workflow store traffic)')
  .option('--cpu-prof', 'write a V8 CPU profile of every host process and print where the time went')
  .option('--statements', 'print the costliest SQLite statements of each scenario')
  .option('--keep', 'keep the temporary databases (and profiles)')
  .option('--json <file>', 'also write every run as JSON')
  .action((options: CliOptions) => runBenchmark(options));

program
  .command('baseline-process <options>', { hidden: true })
  .description('Runs the baseline in this process and reports to the parent (used by the benchmark itself).')
  .action(async (json: string) => {
    const options = JSON.parse(json) as { databasePath: string; durability: Durability; count: number; concurrency: number; warmup: number };
    // The statement counter (preloaded) snapshots on SIGUSR2: once after the warm-up, once after the run.
    const load = await runBaseline({ ...options, onPhase: () => process.emit('SIGUSR2') });
    process.send?.({ load, peakRssMb: peakRssMb(process.pid) }, () => process.exit(0));
  });

async function runBenchmark(options: CliOptions): Promise<void> {
  const dist = resolve(__dirname);
  let settings: BenchSettings = {
    benchScript: join(dist, 'bench.js'),
    hostScript: join(dist, 'host.js'),
    ...(options.statementCounts ? { counterScript: join(dist, 'statementCounter.js') } : {}),
    folder: resolve(options.dir),
    count: options.count,
    concurrency: options.concurrency,
    warmup: options.warmup,
    workflowTimeoutMs: options.timeout * 1000,
    cpuProfile: Boolean(options.cpuProf),
    keep: Boolean(options.keep),
    idleSeconds: options.idleSeconds,
  };
  if (options.prefill > 0) {
    const building = performance.now();
    settings = { ...settings, prefilled: prefilledDatabase(settings.folder, Math.round(options.prefill)) };
    console.log(`store prefilled with ${formatNumber(options.prefill, 0)} events: ${settings.prefilled} (${formatNumber((performance.now() - building) / 1000, 1)} s)`);
  }
  const sqliteVersion = (() => {
    const db = new Database(':memory:');
    const version = db.prepare<[], string>('SELECT sqlite_version()').pluck().get();
    db.close();
    return version;
  })();
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${sourceVersion()}; ${availableParallelism()} CPUs (${cpuModel}), Node ${process.version}, SQLite ${sqliteVersion}, databases in ${settings.folder} (${fileSystemOf(settings.folder) ?? 'unknown file system'})`;
  const args = process.argv.slice(2).join(' ');
  const command = args === '' ? 'npm run bench' : `npm run bench -- ${args}`;
  const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
  console.log(`commandflow benchmark: ${machine}`);
  console.log(`load average at start: ${load()} (other processes on the machine skew the numbers)`);
  if (fileSystemOf(settings.folder) === 'tmpfs') console.log(`warning: ${settings.folder} is tmpfs, where fsync costs nothing: use --dir on a disk`);
  if (settings.cpuProfile) console.log('note: with --cpu-prof, peak RSS includes the profiler and throughput its overhead');
  console.log(
    `N=${options.count} per run, C=${options.concurrency}, warm-up ${options.warmup}, ${options.repeat} run(s) per closed-loop scenario; ` +
      `open loop ${options.rate.join(', ')}/s for ${options.latencySeconds} s\n`,
  );

  const plan: { scenario: ScenarioName; durability: Durability; rate?: number }[] = [];
  const defaultOnly: readonly Durability[] = options.durability.includes('process-crash') ? ['process-crash'] : options.durability;
  const durabilitiesOf = (scenario: ScenarioName): readonly Durability[] => {
    if (scenario === 'multi' || scenario === 'serial-multi') return options.multiDurability ?? defaultOnly;
    if (scenario === 'serial') return defaultOnly;
    if (scenario === 'latency') return options.latencyDurability ?? defaultOnly;
    return options.durability;
  };
  for (const scenario of options.scenarios) {
    for (const durability of durabilitiesOf(scenario)) {
      if (scenario === 'latency') options.rate.forEach((rate) => plan.push({ scenario, durability, rate }));
      else plan.push({ scenario, durability });
    }
  }

  const groups: ScenarioRuns[] = [];
  const started = performance.now();
  for (const { scenario, durability, rate } of plan) {
    const runs: RunResult[] = [];
    const repeat = scenario === 'latency' ? 1 : options.repeat;
    for (let attempt = 1; attempt <= repeat; attempt++) {
      const runSettings = { ...settings, idleSeconds: attempt === 1 && scenario !== 'latency' ? settings.idleSeconds : 0 };
      const run =
        scenario === 'baseline'
          ? await runBaselineScenario(runSettings, durability)
          : scenario === 'latency'
            ? await runHostScenario({ ...runSettings, count: Math.round((rate as number) * options.latencySeconds) }, scenario, durability, rate)
            : await runHostScenario(runSettings, scenario, durability);
      runs.push(run);
      process.stderr.write(
        `  ${scenarioTitles[scenario]}${rate === undefined ? '' : ` @ ${rate}/s`}, ${durability}, run ${attempt}/${repeat}: ` +
          `${formatNumber(run.throughput, 0)} wf/s, p50 ${formatNumber(run.latency.p50, 1)} ms, p99 ${formatNumber(run.latency.p99, 1)} ms` +
          `${run.failures > 0 ? `, ${run.failures} failed (${run.firstError})` : ''}\n`,
      );
    }
    groups.push({ scenario, durability, ...(rate === undefined ? {} : { offeredRate: rate }), runs });
  }

  console.log(`\nThroughput and latency, submit → terminal status (medians of the runs; ratios to the baseline of the same durability)`);
  console.log(throughputTable(groups));
  if (groups.some((g) => g.scenario === 'latency')) {
    console.log(`\nLatency at a fixed offered rate (open loop), with the time of each queue hop from the events' occurredAt`);
    console.log(latencyTable(groups));
  }
  if (groups.some((g) => g.scenario !== 'baseline')) {
    console.log(`\nThe cost meter, per workflow (median run; the commands of the measured run; request units estimated from Cosmos DB's published charges; docs/cost.md)`);
    console.log(meteredTable(groups));
  }
  if (settings.counterScript) {
    console.log('\nStore and queue traffic per workflow (median run; counted from every SQLite statement the processes ran)');
    console.log(trafficTable(groups));
    console.log('\nWhere the time goes, per workflow (median run; all app processes summed)');
    console.log(timeTable(groups));
    console.log('\nMemory of the host processes at the end of the median run');
    console.log(memoryTable(groups.filter((g) => g.scenario !== 'baseline')));
    if (groups.some((g) => g.runs.some((r) => r.idle))) {
      console.log('\nAn idle host (after the first run of each host scenario): the cost of polling');
      console.log(idleTable(groups));
    }
    if (options.statements) for (const group of groups) console.log(`\n${statementTable(group)}`);
  }
  if (settings.cpuProfile) console.log(`\nCPU profiles (median run)\n${profileReport(groups)}`);
  console.log(`\nAims (measured, not asserted)\n${aimsReport(groups)}`);
  console.log(`\n${command}: ${formatNumber((performance.now() - started) / 1000, 0)} s; load average at the end: ${load()}`);
  if (options.json) writeFileSync(options.json, JSON.stringify({ machine, command, options, groups }, null, 2));
}

/** The commit the bundles were built from, and whether the working tree differs from it (read-only git). */
function sourceVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: resolve(__dirname, '../..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
