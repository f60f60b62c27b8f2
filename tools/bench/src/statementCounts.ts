/** What one host process ran between two snapshots, as the preloaded statement counter writes it. */
export interface StatementCounts {
  readonly pid: number;
  /** The host's arguments (`--app validator`, `--single-process`, …): which process this was. */
  readonly argv: readonly string[];
  /** Wall time the snapshot covers, in ms. */
  readonly wallMs: number;
  /** CPU time (user + system) of the process over that time, in ms. */
  readonly cpuMs: number;
  /** The process's /proc/self/io counters over that time (wchar, syscw, write_bytes, …); empty off Linux. */
  readonly io: Readonly<Record<string, number>>;
  /** `process.memoryUsage()` at the snapshot, in bytes. */
  readonly memory?: Readonly<{ rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number }>;
  readonly statements: readonly StatementTally[];
}

export interface StatementTally {
  /** The SQL, whitespace collapsed. */
  readonly sql: string;
  readonly calls: number;
  /** Wall time inside the call (CPU, I/O, fsync and waits for another process's write lock), in ms. */
  readonly ms: number;
  /** Rows changed by `run`, rows returned by `get` / `all`. */
  readonly rows: number;
  /** Calls of 1 ms or more, and their total wall time in ms. */
  readonly slowCalls: number;
  readonly slowMs: number;
  readonly maxMs: number;
}

/** A readable name for each statement the adapters prepare; unknown ones show their SQL. */
const statementLabels: readonly (readonly [RegExp, string])[] = [
  [/^BEGIN IMMEDIATE$/, 'BEGIN IMMEDIATE (write transaction)'],
  [/^BEGIN( DEFERRED)?$/, 'BEGIN (read transaction)'],
  [/^COMMIT$/, 'COMMIT'],
  [/^ROLLBACK/, 'ROLLBACK'],
  [/^SAVEPOINT/, 'SAVEPOINT (one write of a group commit)'],
  [/^RELEASE/, 'RELEASE (savepoint)'],
  [/^SELECT position, stream_id, version, event FROM events WHERE stream_id/, 'events: read stream'],
  [/^SELECT version, event FROM events WHERE stream_id/, 'events: read stream'],
  [/^SELECT coalesce\(max\(version\), 0\) FROM events/, 'events: stream version'],
  [/^INSERT INTO events/, 'events: insert'],
  [/^SELECT position, stream_id, version, event FROM events WHERE position/, 'events: read feed'],
  [/^DELETE FROM queue_duplicates/, 'queue: forget expired ids'],
  [/^INSERT INTO queue_duplicates/, 'queue: remember message id'],
  [/^INSERT INTO queue_messages/, 'queue: insert message'],
  [/^UPDATE queue_messages SET state = 'dead-lettered', lock_token = NULL, dead_letter_reason = 'Max/, 'queue: dead-letter expired locks'],
  [/^UPDATE queue_messages SET state = 'active', lock_token = NULL WHERE queue/, 'queue: release expired locks'],
  [/^SELECT sequence_number FROM queue_messages WHERE queue = \? AND state = 'active'/, 'queue: select receivable'],
  [/^UPDATE queue_messages SET state = 'locked'/, 'queue: lock message'],
  [/^DELETE FROM queue_messages WHERE lock_token/, 'queue: complete'],
  [/^SELECT \* FROM command_list WHERE command_id/, 'command_list: get'],
  [/^INSERT INTO command_list/, 'command_list: insert'],
  [/^UPDATE command_list/, 'command_list: replace'],
  [/^SELECT position FROM feed_checkpoints/, 'feed: read checkpoint'],
  [/^INSERT INTO feed_checkpoints/, 'feed: save checkpoint'],
  [/^INSERT INTO step_usage/, 'usage: insert record (cost meter)'],
];

export function statementLabel(sql: string): string {
  const known = statementLabels.find(([pattern]) => pattern.test(sql));
  return known ? known[1] : sql.length > 60 ? `${sql.slice(0, 57)}...` : sql;
}

/** Statement tallies of several snapshots (processes), merged by label. */
export function mergeByLabel(snapshots: readonly StatementCounts[]): Map<string, { calls: number; ms: number; rows: number }> {
  const merged = new Map<string, { calls: number; ms: number; rows: number }>();
  for (const { statements } of snapshots) {
    for (const { sql, calls, ms, rows } of statements) {
      const label = statementLabel(sql);
      const entry = merged.get(label) ?? { calls: 0, ms: 0, rows: 0 };
      merged.set(label, { calls: entry.calls + calls, ms: entry.ms + ms, rows: entry.rows + rows });
    }
  }
  return merged;
}

/** Store and queue traffic per workflow, derived from the statements the host processes ran. */
export interface StoreTraffic {
  /** Event-store stream reads (`readStream`: one read transaction each). */
  readonly streamReads: number;
  /** Event-store appends (`appendToStream`: one write transaction each). */
  readonly appends: number;
  readonly eventsWritten: number;
  /** Messages handed to the queue (`send`), including repeats dropped by duplicate detection. */
  readonly messagesSent: number;
  /** Messages locked by a receive. */
  readonly messagesReceived: number;
  /** Receive polls that found nothing. */
  readonly emptyPolls: number;
  /** Read-model (command_list) reads and writes, by the change-feed projector. */
  readonly readModelReads: number;
  readonly readModelWrites: number;
  /** Feed reads and checkpoint saves of the change-feed projector. */
  readonly feedReads: number;
  readonly checkpointSaves: number;
  /** SQLite transactions: BEGIN IMMEDIATE, and BEGIN (deferred). */
  readonly writeTransactions: number;
  readonly readTransactions: number;
  /** Statements that read (SELECT) and that write (INSERT / UPDATE / DELETE), outside BEGIN / COMMIT. */
  readonly selectStatements: number;
  readonly writeStatements: number;
}

/**
 * Divides the merged tallies of a run by its number of workflows. The SQLite event store runs
 * the version query once per append and once per read of part of a stream (in a read
 * transaction; a read to the end does without), so appends are the surplus; the baseline appends
 * once per transaction (`appendPerWriteTransaction`).
 */
export function storeTrafficPerWorkflow(
  merged: ReadonlyMap<string, { calls: number; rows: number }>,
  workflows: number,
  appendPerWriteTransaction = false,
): StoreTraffic {
  const calls = (label: string) => merged.get(label)?.calls ?? 0;
  const rows = (label: string) => merged.get(label)?.rows ?? 0;
  let selects = 0;
  let writes = 0;
  for (const [label, { calls: n }] of merged) {
    if (/^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/.test(label)) continue;
    if (/: (read|get|select|stream version)|^SELECT/i.test(label)) selects += n;
    else writes += n;
  }
  const per = (value: number) => value / workflows;
  const streamReads = calls('events: read stream');
  return {
    streamReads: per(streamReads),
    appends: per(appendPerWriteTransaction ? calls('BEGIN IMMEDIATE (write transaction)') : calls('events: stream version') - calls('BEGIN (read transaction)')),
    eventsWritten: per(rows('events: insert')),
    messagesSent: per(calls('queue: remember message id')),
    messagesReceived: per(rows('queue: lock message')),
    emptyPolls: per(calls('queue: select receivable') - calls('queue: lock message')),
    readModelReads: per(calls('command_list: get')),
    readModelWrites: per(calls('command_list: insert') + calls('command_list: replace')),
    feedReads: per(calls('events: read feed')),
    checkpointSaves: per(calls('feed: save checkpoint')),
    writeTransactions: per(calls('BEGIN IMMEDIATE (write transaction)')),
    readTransactions: per(calls('BEGIN (read transaction)')),
    selectStatements: per(selects),
    writeStatements: per(writes),
  };
}
