import type { CommandflowDatabase } from './commandflowDatabase';

/**
 * How an adapter's writes reach the file. A write is a synchronous function over the connection;
 * it runs atomically (all of it or, if it throws, none of it), and its promise resolves only once
 * it has committed.
 */
export interface WriteScheduler {
  write<Result>(operation: () => Result): Promise<Result>;
}

/** Every write in its own `BEGIN IMMEDIATE` transaction, at once: what an adapter does on its own. */
export class TransactionPerWrite implements WriteScheduler {
  private readonly inTransaction: (operation: () => unknown) => unknown;

  constructor(db: CommandflowDatabase) {
    this.inTransaction = db.transaction((operation: () => unknown) => operation()).immediate;
  }

  async write<Result>(operation: () => Result): Promise<Result> {
    return this.inTransaction(operation) as Result;
  }
}

export interface GroupCommitOptions {
  /** Most writes in one transaction, so that no lock is held for long. Default 512. */
  readonly maxWritesPerCommit?: number;
  /** Milliseconds between attempts to take the write lock while another process holds it. Default 1. */
  readonly lockRetryMs?: number;
  /** Called after each commit, with how many writes it held. */
  readonly onCommit?: (writes: number) => void;
}

interface PendingWrite {
  readonly operation: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Settlement = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * Group commit: the writes a process issues in one turn of its event loop share one SQLite
 * transaction. Each write runs in its own savepoint, so a write that throws is rolled back alone
 * and only its promise rejects; the others commit as if each had run by itself. No promise
 * resolves before the COMMIT that made its write durable, so nothing reads as done that a crash
 * could undo, and a failed COMMIT rejects every write it held (none of them took effect).
 *
 * The write lock is taken without waiting (`busy_timeout` 0 while it is taken): when another
 * process holds it, the writes wait on a timer instead of blocking the event loop in SQLite's
 * sleeping busy handler. Reads need no lock (WAL) and do not go through here.
 */
export class GroupCommit implements WriteScheduler {
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private readonly maxWritesPerCommit: number;
  private readonly lockRetryMs: number;
  private readonly inSavepoint: (operation: () => unknown) => unknown;
  private readonly statements;
  private readonly busyTimeoutMs: number;

  constructor(
    private readonly db: CommandflowDatabase,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxWritesPerCommit = options.maxWritesPerCommit ?? 512;
    this.lockRetryMs = options.lockRetryMs ?? 1;
    // Inside the open transaction, better-sqlite3 runs a transaction function as a savepoint.
    this.inSavepoint = db.transaction((operation: () => unknown) => operation());
    this.busyTimeoutMs = Math.max(0, Math.floor(db.pragma('busy_timeout', { simple: true }) as number));
    this.statements = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
  }

  write<Result>(operation: () => Result): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ operation, resolve: resolve as (value: unknown) => void, reject });
      this.schedule(0);
    });
  }

  /** Commits what is pending now, without waiting for the turn to end (when the process is about to close the file). */
  flush(): void {
    while (this.pending.length > 0 && this.db.open && this.commitBatch()) {
      // commitBatch returns false when the lock is held elsewhere: the timer retries.
    }
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      if (this.pending.length === 0) return;
      if (!this.db.open) return this.rejectAll(new Error('The database is closed'));
      const committed = this.commitBatch();
      if (this.pending.length > 0) this.schedule(committed ? 0 : this.lockRetryMs);
    };
    if (delayMs === 0) setImmediate(run);
    else setTimeout(run, delayMs);
  }

  /** One transaction over the oldest pending writes. False when another process holds the write lock. */
  private commitBatch(): boolean {
    if (!this.begin()) return false;
    const batch = this.pending.splice(0, this.maxWritesPerCommit);
    const settlements = batch.map(({ operation }): Settlement => {
      try {
        return { ok: true, value: this.inSavepoint(operation) };
      } catch (error) {
        return { ok: false, error };
      }
    });
    try {
      this.statements.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.statements.rollback.run();
      batch.forEach((write) => write.reject(error));
      return true;
    }
    this.options.onCommit?.(batch.length);
    batch.forEach((write, index) => {
      const settlement = settlements[index] as Settlement;
      if (settlement.ok) write.resolve(settlement.value);
      else write.reject(settlement.error);
    });
    return true;
  }

  private begin(): boolean {
    // Not a prepared statement: SQLite applies PRAGMA busy_timeout when it compiles the statement.
    this.db.pragma('busy_timeout = 0');
    try {
      this.statements.begin.run();
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      this.rejectAll(error);
      return false;
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  private rejectAll(error: unknown): void {
    const rejected = this.pending;
    this.pending = [];
    rejected.forEach((write) => write.reject(error));
  }
}

const isBusy = (error: unknown): boolean => (error as { code?: string } | null)?.code?.startsWith('SQLITE_BUSY') === true;
