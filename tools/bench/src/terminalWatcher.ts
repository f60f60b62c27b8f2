import Database from 'better-sqlite3';

/** How a command's workflow ended. */
export type TerminalStatus = 'Completed' | 'Failed' | 'Invalid';

export interface TerminalSighting {
  readonly status: TerminalStatus;
  /** `performance.now()` when the watcher saw the terminal event committed. */
  readonly seenAt: number;
}

interface EventRow {
  readonly position: number;
  readonly stream_id: string;
  readonly type: string;
  readonly fatal: number | null;
}

/**
 * Sees commands reach a terminal status by tailing the events table of the host's SQLite file
 * on a read-only connection of its own: every `intervalMs` it reads the rows after the last
 * position it saw (a primary-key range scan, in WAL mode never blocking the host's writers) and
 * notes the terminal ones: CommandCompleted, CommandFailed, or a fatal ValidationErrorOccurred
 * (Invalid). It costs the host nothing: no HTTP request, no statement on the host's connection.
 * Resolution: `intervalMs` plus the query (~1 ms with the default).
 */
export class TerminalWatcher {
  private readonly db: Database.Database;
  private readonly selectAfter: Database.Statement<[number], EventRow>;
  private readonly seen = new Map<string, TerminalSighting>();
  private readonly waiting = new Map<string, { resolve: (sighting: TerminalSighting) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    databasePath: string,
    private readonly intervalMs = 1,
  ) {
    this.db = new Database(databasePath, { readonly: true, fileMustExist: true });
    this.selectAfter = this.db.prepare<[number], EventRow>(
      `SELECT position, stream_id, json_extract(event, '$.type') AS type, json_extract(event, '$.data.fatal') AS fatal
       FROM events WHERE position > ? ORDER BY position LIMIT 5000`,
    );
    this.poll();
  }

  /** Resolves when the command is terminal (at once if it already is); rejects after `timeoutMs`. */
  terminal(commandId: string, timeoutMs: number): Promise<TerminalSighting> {
    const streamId = `command-${commandId}`;
    const sighting = this.seen.get(streamId);
    if (sighting) {
      this.seen.delete(streamId);
      return Promise.resolve(sighting);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(streamId);
        reject(new Error(`Command ${commandId} was not terminal after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(streamId, { resolve, reject, timer });
    });
  }

  close(): void {
    clearTimeout(this.timer);
    for (const [streamId, { reject, timer }] of this.waiting) {
      clearTimeout(timer);
      reject(new Error(`Stopped watching ${streamId}`));
    }
    this.waiting.clear();
    this.db.close();
  }

  private poll(): void {
    let rows: EventRow[];
    do {
      rows = this.selectAfter.all(this.cursor);
      const seenAt = performance.now();
      for (const row of rows) {
        this.cursor = row.position;
        const status = terminalStatusOf(row);
        if (status === undefined || !row.stream_id.startsWith('command-')) continue;
        const sighting = { status, seenAt };
        const waiter = this.waiting.get(row.stream_id);
        if (waiter) {
          this.waiting.delete(row.stream_id);
          clearTimeout(waiter.timer);
          waiter.resolve(sighting);
        } else if (!this.seen.has(row.stream_id)) {
          // Terminal before the submit's response arrived: kept for terminal() to find.
          this.seen.set(row.stream_id, sighting);
        }
      }
    } while (rows.length === 5000);
    this.timer = setTimeout(() => this.poll(), this.intervalMs);
  }
}

function terminalStatusOf({ type, fatal }: EventRow): TerminalStatus | undefined {
  switch (type) {
    case 'CommandCompleted':
      return 'Completed';
    case 'CommandFailed':
      return 'Failed';
    case 'ValidationErrorOccurred':
      return fatal ? 'Invalid' : undefined;
    default:
      return undefined;
  }
}
