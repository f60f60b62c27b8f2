import { median } from './latencySummary';
import type { Durability, RunResult, ScenarioName } from './scenarios';
import { scenarioTitles } from './scenarios';
import { mergeByLabel, storeTrafficPerWorkflow, type StatementCounts, type StoreTraffic } from './statementCounts';
import { formatNumber, textTable } from './textTable';

/** The runs of one scenario at one durability (and one offered rate, for latency). */
export interface ScenarioRuns {
  readonly scenario: ScenarioName;
  readonly durability: Durability;
  readonly offeredRate?: number;
  readonly runs: readonly RunResult[];
}

const f = formatNumber;

const nameOf = ({ scenario, offeredRate }: ScenarioRuns) =>
  offeredRate === undefined ? scenarioTitles[scenario] : `${scenarioTitles[scenario]} @ ${offeredRate}/s`;

/** The run whose throughput is the median one (the lower middle for an even count). */
export function medianRun(group: ScenarioRuns): RunResult {
  const sorted = [...group.runs].sort((a, b) => a.throughput - b.throughput);
  return sorted[Math.floor((sorted.length - 1) / 2)] as RunResult;
}

const maxRss = (run: RunResult) => Math.max(...run.peakRss.filter((p) => p.role !== 'supervisor').map((p) => p.mb ?? 0));

/** Peak RSS of each process, highest over the runs: `118`, or `intake 97 · validator 80 · … ` for several. */
function rssPerProcess(runs: readonly RunResult[]): string {
  const byRole = new Map<string, number>();
  for (const run of runs) for (const { role, mb } of run.peakRss) byRole.set(role, Math.max(byRole.get(role) ?? 0, mb ?? 0));
  if (byRole.size === 1) return f([...byRole.values()][0], 0);
  return [...byRole].map(([role, mb]) => `${role} ${f(mb, 0)}`).join(' · ');
}

function baselineThroughput(groups: readonly ScenarioRuns[], durability: Durability): number | undefined {
  const baseline = groups.find((g) => g.scenario === 'baseline' && g.durability === durability);
  return baseline && median(baseline.runs.map((r) => r.throughput));
}

/** Throughput and latency of the closed-loop scenarios: medians over the runs. */
export function throughputTable(groups: readonly ScenarioRuns[]): string {
  const rows = groups
    .filter((g) => g.scenario !== 'latency')
    .map((group) => {
      const m = (pick: (run: RunResult) => number) => median(group.runs.map(pick));
      const throughput = m((r) => r.throughput);
      const base = baselineThroughput(groups, group.durability);
      return [
        nameOf(group),
        group.durability,
        String(group.runs.length),
        f(throughput, 0),
        base ? `${f((100 * throughput) / base, 1)} %` : '–',
        f(m((r) => r.latency.p50), 1),
        f(m((r) => r.latency.p95), 1),
        f(m((r) => r.latency.p99), 1),
        f(m((r) => r.submit.p50), 2),
        String(group.runs.reduce((n, r) => n + r.failures, 0)),
        rssPerProcess(group.runs),
      ];
    });
  return textTable(['scenario (closed loop)', 'durability', 'runs', 'wf/s', 'of baseline', 'p50 ms', 'p95 ms', 'p99 ms', 'submit p50 ms', 'failed', 'peak RSS MB per process'], rows);
}

/** The open-loop runs: latency at an offered rate, with the time of each queue hop. */
export function latencyTable(groups: readonly ScenarioRuns[]): string {
  const rows = groups
    .filter((g) => g.scenario === 'latency')
    .map((group) => {
      const run = medianRun(group);
      return [
        nameOf(group),
        group.durability,
        f(run.throughput, 0),
        f(run.latency.p50, 1),
        f(run.latency.p95, 1),
        f(run.latency.p99, 1),
        f(run.latency.max, 0),
        f(run.submit.p50, 2),
        run.tally ? `${f(run.tally.logToValidate.p50, 0)} / ${f(run.tally.logToValidate.p99, 0)}` : '–',
        run.tally ? `${f(run.tally.validateToPerform.p50, 0)} / ${f(run.tally.validateToPerform.p99, 0)}` : '–',
        f(run.maxSubmitLagMs, 1),
        f(maxRss(run), 0),
        String(run.failures),
      ];
    });
  return textTable(
    ['scenario (open loop)', 'durability', 'done wf/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'submit p50 ms', 'log→validate p50/p99 ms', 'validate→execute p50/p99 ms', 'gen. lag ms', 'peak RSS MB', 'failed'],
    rows,
  );
}

const trafficRows: readonly (readonly [keyof StoreTraffic, string])[] = [
  ['streamReads', 'event-store stream reads'],
  ['appends', 'event-store appends'],
  ['eventsWritten', 'events written'],
  ['messagesSent', 'queue messages sent'],
  ['messagesReceived', 'queue messages received'],
  ['emptyPolls', 'empty receive polls'],
  ['readModelReads', 'read-model reads (projector)'],
  ['readModelWrites', 'read-model writes (projector)'],
  ['feedReads', 'change-feed reads'],
  ['checkpointSaves', 'feed checkpoint saves'],
  ['writeTransactions', 'SQLite write transactions (group commits)'],
  ['readTransactions', 'SQLite read transactions'],
  ['selectStatements', 'SQLite SELECT statements'],
  ['writeStatements', 'SQLite INSERT/UPDATE/DELETE statements'],
];

/** Store reads, store writes and messages per workflow, from the statement counts of the median run. */
export function trafficTable(groups: readonly ScenarioRuns[]): string {
  const columns = groups.filter((g) => medianRun(g).counts.length > 0);
  const traffic = columns.map((g) => {
    const run = medianRun(g);
    return storeTrafficPerWorkflow(mergeByLabel(run.counts), run.workflows, g.scenario === 'baseline');
  });
  const rows = trafficRows.map(([key, label]) => [label, ...traffic.map((t) => f(t[key], 2))]);
  const fileRows = [
    ['(file) events per workflow', ...columns.map((g) => tallyPer(g, (t) => t.commandEvents + t.domainEvents))],
    ['(file) messages accepted per workflow', ...columns.map((g) => tallyPer(g, (t) => t.messagesAccepted))],
    ['(file) messages left / dead letters', ...columns.map((g) => { const t = medianRun(g).tally; return t ? `${t.messagesLeft} / ${t.deadLetters}` : '–'; })],
  ];
  return textTable(['per workflow', ...columns.map(shortName)], [...rows, ...fileRows]);
}

function tallyPer(group: ScenarioRuns, pick: (tally: NonNullable<RunResult['tally']>) => number): string {
  const run = medianRun(group);
  return run.tally && run.tally.commands > 0 ? f(pick(run.tally) / run.tally.commands, 2) : '–';
}

export const shortName = ({ scenario, durability, offeredRate }: ScenarioRuns) =>
  `${scenario}${offeredRate === undefined ? '' : `@${offeredRate}`} ${durability === 'process-crash' ? 'crash' : 'power'}`;

/** The app a host process ran, from its arguments. */
const roleOf = (counts: StatementCounts) => {
  const app = counts.argv.indexOf('--app');
  return app >= 0 ? (counts.argv[app + 1] ?? '?') : counts.argv.includes('--single-process') ? 'all three apps' : 'baseline';
};

/**
 * Where each run's time went, per workflow: CPU of the app processes, wall time inside SQLite
 * statements (split into BEGIN IMMEDIATE, which waits for the write lock, and COMMIT, which
 * writes the WAL, checkpoints and fsyncs), slow statement calls (≥ 1 ms), bytes written.
 * Several processes: one row for all, then one per process.
 */
export function timeTable(groups: readonly ScenarioRuns[]): string {
  const rows = groups
    .filter((g) => medianRun(g).counts.length > 0)
    .flatMap((group) => {
      const run = medianRun(group);
      const row = (label: string, counts: readonly StatementCounts[], clientCpuMs: number | undefined) => {
        const per = (value: number) => value / run.workflows;
        const statements = counts.flatMap((c) => c.statements);
        const sum = (pick: (s: (typeof statements)[number]) => number, where: (sql: string) => boolean = () => true) =>
          statements.filter((s) => where(s.sql)).reduce((total, s) => total + pick(s), 0);
        const cpu = counts.reduce((total, c) => total + c.cpuMs, 0);
        const wall = Math.max(...counts.map((c) => c.wallMs));
        const isBegin = (sql: string) => sql === 'BEGIN IMMEDIATE';
        const isCommit = (sql: string) => sql === 'COMMIT';
        const writeBytes = counts.reduce((total, c) => total + (c.io['write_bytes'] ?? 0), 0);
        return [
          label,
          f(clientCpuMs === undefined ? undefined : per(clientCpuMs), 3),
          f(per(cpu), 3),
          `${f((100 * cpu) / (wall * counts.length), 0)} %`,
          f(per(sum((s) => s.ms)), 3),
          f(per(sum((s) => s.ms, isBegin)), 3),
          f(per(sum((s) => s.ms, isCommit)), 3),
          f(per(sum((s) => s.ms, (sql) => !sql.startsWith('BEGIN') && !isCommit(sql))), 3),
          `${f(1000 * per(sum((s) => s.slowCalls)), 0)} / ${f(per(sum((s) => s.slowMs)), 3)}`,
          f(Math.max(...statements.map((s) => s.maxMs)), 1),
          f(per(writeBytes) / 1024, 1),
        ];
      };
      const total = row(shortName(group), run.counts, run.clientCpuMs);
      if (run.counts.length === 1) return [total];
      return [total, ...run.counts.map((counts) => row(`  ${roleOf(counts)}`, [counts], undefined))];
    });
  return textTable(
    ['per workflow', 'client CPU ms', 'host CPU ms', 'host CPU busy', 'in SQLite ms', 'BEGIN IMM. ms', 'COMMIT ms', 'statements ms', 'slow calls per 1000 wf / ms', 'slowest ms', 'disk KB written'],
    rows,
  );
}

/** Memory of each app process at the end of the median run (what the peak RSS is made of). */
export function memoryTable(groups: readonly ScenarioRuns[]): string {
  const mb = (bytes: number | undefined) => f(bytes === undefined ? undefined : bytes / 1024 / 1024, 0);
  const rows = groups.flatMap((group) => {
    const run = medianRun(group);
    return run.counts
      .filter((counts) => counts.memory !== undefined)
      .map((counts) => {
        const peak = run.peakRss.find((p) => p.role === roleOf(counts));
        return [
          `${shortName(group)}${run.counts.length > 1 ? `, ${roleOf(counts)}` : ''}`,
          f(peak?.mb, 0),
          mb(counts.memory?.rss),
          mb(counts.memory?.heapTotal),
          mb(counts.memory?.heapUsed),
          mb((counts.memory?.external ?? 0) + (counts.memory?.arrayBuffers ?? 0)),
        ];
      });
  });
  return textTable(['memory (MB)', 'peak RSS', 'RSS at end', 'V8 heap total', 'V8 heap used', 'external + buffers'], rows);
}

/** What an idle host does: the first run of each host scenario stays idle a while after its run. */
export function idleTable(groups: readonly ScenarioRuns[]): string {
  const rows = groups.flatMap((group) => {
    const run = group.runs.find((r) => r.idle !== undefined);
    if (!run?.idle) return [];
    const seconds = Math.max(...run.idle.map((c) => c.wallMs)) / 1000;
    const merged = mergeByLabel(run.idle);
    const calls = (label: string) => merged.get(label)?.calls ?? 0;
    const cpu = run.idle.reduce((total, c) => total + c.cpuMs, 0);
    return [
      [
        shortName(group),
        String(run.idle.length),
        `${f((100 * cpu) / (seconds * 1000), 1)} %`,
        f(calls('BEGIN IMMEDIATE (write transaction)') / seconds, 0),
        f(calls('queue: select receivable') / seconds, 0),
      ],
    ];
  });
  return textTable(['idle host', 'processes', 'CPU (of one core)', 'write transactions/s', 'receive polls/s'], rows);
}

/** The statements that took the most time in the median run of one scenario. */
export function statementTable(group: ScenarioRuns, top = 12): string {
  const run = medianRun(group);
  const merged = [...mergeByLabel(run.counts)].sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
  return textTable(
    [`statements, ${shortName(group)}`, 'calls/wf', 'rows/wf', 'ms/wf', 'µs/call'],
    merged.map(([label, t]) => [label, f(t.calls / run.workflows, 2), f(t.rows / run.workflows, 2), f(t.ms / run.workflows, 3), f((1000 * t.ms) / t.calls, 1)]),
  );
}

/** CPU-profile areas and hottest functions per process (with --cpu-prof). */
export function profileReport(groups: readonly ScenarioRuns[]): string {
  const parts: string[] = [];
  for (const group of groups) {
    for (const { role, summary } of medianRun(group).cpuProfiles ?? []) {
      if (summary.totalMs === 0 || role === 'supervisor') continue;
      const share = (ms: number) => `${f((100 * ms) / summary.totalMs, 1)} %`;
      parts.push(
        `${shortName(group)}, ${role} (${f(summary.totalMs / 1000, 1)} s sampled)`,
        textTable(['area (self time)', 'share'], summary.areas.map(({ area, ms }) => [area, share(ms)])),
        textTable(['storage operation (inclusive)', 'share'], summary.operations.map(({ operation, ms }) => [operation, share(ms)])),
        textTable(['hottest functions (self time)', 'where', 'share'], summary.functions.map(({ name, location, ms }) => [name, location, share(ms)])),
        '',
      );
    }
  }
  return parts.join('\n');
}

/** The aims of the issue against the medians: measured and reported, not asserted. */
export function aimsReport(groups: readonly ScenarioRuns[]): string {
  const lines: string[] = [];
  const ratio = (scenario: ScenarioName, durability: Durability) => {
    const group = groups.find((g) => g.scenario === scenario && g.durability === durability);
    const base = baselineThroughput(groups, durability);
    return group && base ? (100 * median(group.runs.map((r) => r.throughput))) / base : undefined;
  };
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'met' : 'MISSED');
  for (const durability of ['process-crash', 'power-loss'] as const) {
    const single = ratio('single', durability);
    const multi = ratio('multi', durability);
    const aim = durability === 'power-loss' ? 35 : 50;
    if (single !== undefined) lines.push(`one process ≥ ${aim} % of baseline (${durability}): ${f(single, 1)} % → ${verdict(single >= aim)}`);
    if (multi !== undefined) lines.push(`several processes ≥ 25 % of baseline (${durability}): ${f(multi, 1)} % → ${verdict(multi >= 25)}`);
  }
  for (const group of groups.filter((g) => g.scenario === 'serial' || g.scenario === 'serial-multi')) {
    const run = medianRun(group);
    lines.push(
      `idle host, one at a time, ${group.scenario === 'serial' ? 'one process' : 'one process per app'} (${group.durability}): ` +
        `p50 ${f(run.latency.p50, 1)} ms ≤ 5, p99 ${f(run.latency.p99, 1)} ms ≤ 20 → ${verdict(run.latency.p50 <= 5 && run.latency.p99 <= 20)}`,
    );
  }
  for (const group of groups.filter((g) => g.scenario === 'latency')) {
    const run = medianRun(group);
    lines.push(
      `p50 ≤ 5 ms and p99 ≤ 20 ms at ${group.offeredRate}/s offered (${group.durability}): p50 ${f(run.latency.p50, 1)} ms, p99 ${f(run.latency.p99, 1)} ms` +
        ` (completed ${f(run.throughput, 0)}/s) → ${verdict(run.latency.p50 <= 5 && run.latency.p99 <= 20)}`,
    );
  }
  const peak = Math.max(...groups.filter((g) => g.scenario !== 'baseline').flatMap((g) => g.runs.map(maxRss)));
  if (Number.isFinite(peak)) lines.push(`at most 150 MB RSS per process, every scenario: highest app process ${f(peak, 0)} MB → ${verdict(peak <= 150)}`);
  return lines.map((line) => `  ${line}`).join('\n');
}
