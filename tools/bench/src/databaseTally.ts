import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { summariseLatencies, type LatencySummary } from './latencySummary';

/** What a run left in its SQLite file, read after the host stopped. */
export interface DatabaseTally {
  readonly commands: number;
  readonly commandEvents: number;
  /** Events on other (domain) streams: the leagues. */
  readonly domainEvents: number;
  /** Messages the queues accepted (duplicate-detection entries: one per accepted messageId). */
  readonly messagesAccepted: number;
  /** Messages still in a queue (not completed) and dead letters. */
  readonly messagesLeft: number;
  readonly deadLetters: number;
  readonly readModelDocuments: number;
  /** The database and WAL files' sizes, in bytes. */
  readonly fileBytes: number;
  /**
   * Time between the steps of each completed command, from the events' `occurredAt` (stamped
   * when each step decides, millisecond resolution): log → validate and validate → execute.
   * Each gap is one queue hop: the append and send before it, the wait for a receiver, the
   * receive and the stream read after it. Commands of the measured run only.
   */
  readonly logToValidate: LatencySummary;
  readonly validateToPerform: LatencySummary;
}

/**
 * Tallies the file of a finished run (its host stopped: opened read-write so the WAL can be
 * replayed). Step gaps count only commands created at or after `measuredFrom` (ms since the
 * epoch): the measured run, not its warm-up.
 */
export function tallyDatabase(databasePath: string, measuredFrom = 0): DatabaseTally {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  const fileBytes = size(databasePath) + size(`${databasePath}-wal`);
  const db = new Database(databasePath, { fileMustExist: true });
  try {
    const count = (sql: string) => db.prepare<[], number>(sql).pluck().get() ?? 0;
    const stepTimes = db
      .prepare<[], { stream_id: string; type: string; at: string }>(
        `SELECT stream_id, json_extract(event, '$.type') AS type, json_extract(event, '$.metadata.occurredAt') AS at
         FROM events WHERE stream_id LIKE 'command-%'
           AND json_extract(event, '$.type') IN ('CommandCreated', 'ValidationSucceeded', 'CommandCompleted')`,
      )
      .all();
    const byCommand = new Map<string, Record<string, number>>();
    for (const { stream_id, type, at } of stepTimes) {
      const times = byCommand.get(stream_id) ?? {};
      times[type] = Date.parse(at);
      byCommand.set(stream_id, times);
    }
    const measured = [...byCommand.values()].filter((times) => (times['CommandCreated'] ?? 0) >= measuredFrom);
    const gaps = (from: string, to: string) =>
      summariseLatencies(measured.flatMap((times) => (times[from] !== undefined && times[to] !== undefined ? [(times[to] as number) - (times[from] as number)] : [])));
    return {
      commands: count(`SELECT count(*) FROM events WHERE stream_id LIKE 'command-%' AND version = 1`),
      commandEvents: count(`SELECT count(*) FROM events WHERE stream_id LIKE 'command-%'`),
      domainEvents: count(`SELECT count(*) FROM events WHERE stream_id NOT LIKE 'command-%'`),
      messagesAccepted: count('SELECT count(*) FROM queue_duplicates'),
      messagesLeft: count(`SELECT count(*) FROM queue_messages WHERE state <> 'dead-lettered'`),
      deadLetters: count(`SELECT count(*) FROM queue_messages WHERE state = 'dead-lettered'`),
      readModelDocuments: count('SELECT count(*) FROM command_list'),
      fileBytes,
      logToValidate: gaps('CommandCreated', 'ValidationSucceeded'),
      validateToPerform: gaps('ValidationSucceeded', 'CommandCompleted'),
    };
  } finally {
    db.close();
  }
}
