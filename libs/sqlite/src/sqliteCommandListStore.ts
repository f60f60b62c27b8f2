import type { CommandListItem } from '@commandflow/projections';
import {
  assertPageSize,
  unfinishedStatuses,
  type CommandChangeQuery,
  invalidContinuation,
  statusCounts,
  type CommandCountFilter,
  type CommandListPage,
  type CommandListQuery,
  type CommandListStore,
  type CommandStatusCounts,
  type StoredCommandListItem,
} from '@commandflow/workflow';
import type { Statement } from 'better-sqlite3';
import type { CommandflowDatabase } from './commandflowDatabase';
import { TransactionPerWrite, type WriteScheduler } from './groupCommit';

interface CommandListRow {
  readonly command_id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly revision: number;
  readonly document: string;
}

interface StatusCountRow {
  readonly status: string;
  readonly count: number;
}

/** The last key of a page: where the next one starts (its time, then the command id). */
type PageKey = readonly [at: string, commandId: string];

/** A SQL condition and the values of its placeholders. */
type Condition = readonly [condition: string, values: readonly string[]];

/**
 * The command-list read model in the shared database file: the document as JSON, with its status,
 * command type and creation time in indexed columns. The etag is an integer revision, so a save
 * replaces a document only if nobody saved it since it was read. Lists are newest first
 * (createdAt, then commandId, descending) with keyset paging: the continuation is the last key seen.
 */
export class SqliteCommandListStore implements CommandListStore {
  private readonly selectOne;
  private readonly insert;
  private readonly replace;
  private readonly writes: WriteScheduler;
  private readonly countAll;
  private readonly countOfType;
  /** One prepared statement per combination of filters. */
  private readonly listStatements = new Map<string, Statement<(string | number)[], CommandListRow>>();

  /** `writes`: how saves commit; default each in its own transaction. */
  constructor(
    private readonly db: CommandflowDatabase,
    { writes }: { readonly writes?: WriteScheduler } = {},
  ) {
    this.writes = writes ?? new TransactionPerWrite(db);
    this.selectOne = db.prepare<[string], CommandListRow>('SELECT * FROM command_list WHERE command_id = ?');
    this.insert = db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO command_list (command_id, status, command_type, created_at, updated_at, revision, document) VALUES (?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (command_id) DO NOTHING`,
    );
    this.replace = db.prepare<[string, string, string, string, string, string, number]>(
      `UPDATE command_list SET status = ?, command_type = ?, created_at = ?, updated_at = ?, document = ?, revision = revision + 1
       WHERE command_id = ? AND revision = ?`,
    );
    // Served by the indexes on (status, …) and (command_type, …): no document is read.
    this.countAll = db.prepare<[], StatusCountRow>('SELECT status, count(*) AS count FROM command_list GROUP BY status');
    this.countOfType = db.prepare<[string], StatusCountRow>('SELECT status, count(*) AS count FROM command_list WHERE command_type = ? GROUP BY status');
  }

  async get(commandId: string): Promise<StoredCommandListItem | undefined> {
    const row = this.selectOne.get(commandId);
    return row && { item: JSON.parse(row.document) as CommandListItem, etag: String(row.revision) };
  }

  /** Creates (etag undefined) or replaces the document if its etag still matches; false if another writer got there first. */
  async save(item: CommandListItem, etag: string | undefined): Promise<boolean> {
    const document = JSON.stringify(item);
    const { id, status, commandType, createdAt, updatedAt } = item;
    if (etag === undefined) return this.writes.write(() => this.insert.run(id, status, commandType, createdAt, updatedAt, document).changes === 1);
    const revision = Number(etag);
    if (!Number.isInteger(revision)) return false;
    return this.writes.write(() => this.replace.run(status, commandType, createdAt, updatedAt, document, id, revision).changes === 1);
  }

  /** A page of at most `limit` (1..100) documents, newest first, filtered by status and command type. */
  async list({ status, commandType, limit, continuation }: CommandListQuery): Promise<CommandListPage> {
    assertPageSize(limit);
    const after = continuation === undefined ? undefined : decodeContinuation(continuation);
    const where: Condition[] = [];
    if (status !== undefined) where.push(['status = ?', [status]]);
    if (commandType !== undefined) where.push(['command_type = ?', [commandType]]);
    if (after) where.push(['(created_at, command_id) < (?, ?)', after]);
    return this.page('command_list', where, 'created_at DESC, command_id DESC', limit, (last) => [last.created_at, last.command_id]);
  }

  /**
   * A page of at most `limit` (1..100) documents by last change, oldest first. Served by the index
   * on (updated_at, command_id), or for unfinished commands by the partial index that holds only them
   * (named, as the planner without statistics would sort the status index's rows instead).
   */
  async listByLastChange({ unfinished, changedFrom, changedBefore, limit, continuation }: CommandChangeQuery): Promise<CommandListPage> {
    assertPageSize(limit);
    const after = continuation === undefined ? undefined : decodeContinuation(continuation);
    const where: Condition[] = [];
    // The very expression of the partial index's WHERE, so that SQLite may use it.
    if (unfinished) where.push([`status IN (${unfinishedStatuses.map((status) => `'${status}'`).join(', ')})`, []]);
    if (changedFrom !== undefined) where.push(['updated_at >= ?', [changedFrom]]);
    if (changedBefore !== undefined) where.push(['updated_at < ?', [changedBefore]]);
    if (after) where.push(['(updated_at, command_id) > (?, ?)', after]);
    const table = `command_list INDEXED BY ${unfinished ? 'command_list_unfinished_by_change' : 'command_list_by_change'}`;
    return this.page(table, where, 'updated_at, command_id', limit, (last) => [last.updated_at, last.command_id]);
  }

  /** Runs a list query (its statement prepared once per shape) and keys the next page on its last row. */
  private page(from: string, where: readonly Condition[], orderBy: string, limit: number, keyOf: (last: CommandListRow) => PageKey): CommandListPage {
    const sql = `SELECT * FROM ${from} ${where.length ? `WHERE ${where.map(([condition]) => condition).join(' AND ')}` : ''}
                 ORDER BY ${orderBy} LIMIT ?`;
    let statement = this.listStatements.get(sql);
    if (!statement) this.listStatements.set(sql, (statement = this.db.prepare<(string | number)[], CommandListRow>(sql)));
    const rows = statement.all(...where.flatMap(([, values]) => values), limit + 1);
    const items = rows.slice(0, limit).map((row) => JSON.parse(row.document) as CommandListItem);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return last ? { items, continuation: encodeContinuation(keyOf(last)) } : { items };
  }

  /** How many commands have each status, of one command type or of all. */
  async countByStatus({ commandType }: CommandCountFilter = {}): Promise<CommandStatusCounts> {
    const rows = commandType === undefined ? this.countAll.all() : this.countOfType.all(commandType);
    return statusCounts(rows.map(({ status, count }) => [status, count] as const));
  }
}

const encodeContinuation = (key: PageKey): string => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeContinuation(continuation: string): PageKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(continuation, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && key.every((part) => typeof part === 'string')) return key as unknown as PageKey;
  } catch {
    // Falls through to the error below.
  }
  throw invalidContinuation(continuation);
}
