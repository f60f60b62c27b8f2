/**
 * Preloaded into each host process the benchmark starts (`node -r statementCounter.js`): counts
 * and times every better-sqlite3 statement the process runs, including the BEGIN and COMMIT of
 * every transaction, without touching the production code. It wraps the methods of the native
 * Statement prototype, so every statement of every connection is seen. Cost: about 0.5 µs per
 * statement call (two clock reads and a WeakMap lookup), i.e. ~2 % of the
 * baseline's CPU and under 1 % of the host's.
 *
 * On SIGUSR2 it writes what it counted since the previous SIGUSR2 to
 * `$COMMANDFLOW_BENCH_COUNTS_DIR/<pid>-<n>.json` (n = 1, 2, …) and starts again from zero.
 */
import Database from 'better-sqlite3';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatementCounts, StatementTally } from './statementCounts';

const countsDir = process.env['COMMANDFLOW_BENCH_COUNTS_DIR'];

/** A statement call at least this long, in ms, counts as slow (a checkpoint, an fsync, a lock wait). */
const slowCallMs = 1;

/** This process's I/O counters from /proc (Linux); empty elsewhere. */
function processIo(): Record<string, number> {
  try {
    return Object.fromEntries(
      readFileSync('/proc/self/io', 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(':').map((part) => part.trim()))
        .map(([name, value]) => [name as string, Number(value)]),
    );
  } catch {
    return {};
  }
}

function ioDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, value]) => [name, value - (before[name] ?? 0)]));
}

if (countsDir) {
  const probe = new Database(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();

  type Entry = { sql: string; calls: number; ms: number; rows: number; slowCalls: number; slowMs: number; maxMs: number };
  // One entry per prepared statement, found by the statement object itself; merged by SQL at snapshot.
  const entries = new WeakMap<object, Entry>();
  const allEntries: Entry[] = [];
  const entryOf = (statement: { source: string }): Entry => {
    let entry = entries.get(statement);
    if (entry === undefined) {
      entry = { sql: statement.source.replace(/\s+/g, ' ').trim(), calls: 0, ms: 0, rows: 0, slowCalls: 0, slowMs: 0, maxMs: 0 };
      entries.set(statement, entry);
      allEntries.push(entry);
    }
    return entry;
  };
  const rowsOf: Record<string, (result: unknown) => number> = {
    run: (result) => (result as { changes: number }).changes,
    get: (result) => (result === undefined ? 0 : 1),
    all: (result) => (result as unknown[]).length,
    iterate: () => 0,
  };
  for (const method of Object.keys(rowsOf)) {
    const original = statementPrototype[method] as (...args: unknown[]) => unknown;
    const rows = rowsOf[method] as (result: unknown) => number;
    statementPrototype[method] = function counted(this: { source: string }, ...args: unknown[]) {
      const entry = entryOf(this);
      entry.calls++;
      const started = performance.now();
      try {
        const result = original.apply(this, args);
        entry.rows += rows(result);
        return result;
      } finally {
        const ms = performance.now() - started;
        entry.ms += ms;
        if (ms > entry.maxMs) entry.maxMs = ms;
        if (ms >= slowCallMs) {
          entry.slowCalls++;
          entry.slowMs += ms;
        }
      }
    };
  }

  /** The tallies since the last snapshot, merged by SQL; then zeroed. */
  const takeTallies = (): StatementTally[] => {
    const bySql = new Map<string, StatementTally>();
    for (const entry of allEntries) {
      if (entry.calls === 0) continue;
      const { sql, calls, ms, rows, slowCalls, slowMs, maxMs } = entry;
      const merged = bySql.get(sql);
      bySql.set(
        sql,
        merged
          ? { sql, calls: merged.calls + calls, ms: merged.ms + ms, rows: merged.rows + rows, slowCalls: merged.slowCalls + slowCalls, slowMs: merged.slowMs + slowMs, maxMs: Math.max(merged.maxMs, maxMs) }
          : { sql, calls, ms, rows, slowCalls, slowMs, maxMs },
      );
      Object.assign(entry, { calls: 0, ms: 0, rows: 0, slowCalls: 0, slowMs: 0, maxMs: 0 });
    }
    return [...bySql.values()];
  };

  let since = performance.now();
  let ioSince = processIo();
  let cpuSince = process.cpuUsage();
  let dumps = 0;
  process.on('SIGUSR2', () => {
    const now = performance.now();
    const cpu = process.cpuUsage(cpuSince);
    const snapshot: StatementCounts = {
      pid: process.pid,
      argv: process.argv.slice(2),
      wallMs: now - since,
      cpuMs: (cpu.user + cpu.system) / 1000,
      io: ioDelta(ioSince, (ioSince = processIo())),
      memory: { ...process.memoryUsage() },
      statements: takeTallies(),
    };
    since = now;
    cpuSince = process.cpuUsage();
    const file = join(countsDir, `${process.pid}-${++dumps}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
    renameSync(`${file}.tmp`, file);
  });
}
