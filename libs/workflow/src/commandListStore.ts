import { ValidationError } from '@commandflow/events';
import { commandStatuses, type CommandListItem, type CommandStatus } from '@commandflow/projections';

export interface CommandListQuery {
  readonly status?: CommandStatus;
  readonly commandType?: string;
  /** Page size, 1..100. */
  readonly limit: number;
  /** Opaque token from the previous page. */
  readonly continuation?: string;
}

export interface CommandListPage {
  /** Newest first (by createdAt, then commandId). */
  readonly items: readonly CommandListItem[];
  /** Present when there are more items. */
  readonly continuation?: string;
}

/**
 * Commands by when they last changed (their document's `updatedAt`, the time of their last event),
 * for the sweeper: served by an index on every store, never by a scan of the events.
 */
export interface CommandChangeQuery {
  /** Only commands that have not reached a terminal status (Created, Validated). */
  readonly unfinished?: boolean;
  /** Only commands whose last change is at or after this instant (ISO-8601, UTC). */
  readonly changedFrom?: string;
  /** Only commands whose last change is before this instant (ISO-8601, UTC). */
  readonly changedBefore?: string;
  /** Page size, 1..100. */
  readonly limit: number;
  /** Opaque token from the previous page. */
  readonly continuation?: string;
}

/** The statuses a command still moves on from: what `unfinished` selects. */
export const unfinishedStatuses = ['Created', 'Validated'] as const satisfies readonly CommandStatus[];

/** Oldest change first: updatedAt ascending, then commandId ascending (the order of `listByLastChange`). */
export const compareOldestChangeFirst = (a: CommandListItem, b: CommandListItem): number =>
  a.updatedAt.localeCompare(b.updatedAt) || a.commandId.localeCompare(b.commandId);

/** Whether a document matches a change query's filters (the query's meaning, for stores that filter in memory). */
export const matchesChangeQuery = (item: CommandListItem, { unfinished, changedFrom, changedBefore }: CommandChangeQuery): boolean =>
  (!unfinished || (unfinishedStatuses as readonly string[]).includes(item.status)) &&
  (changedFrom === undefined || item.updatedAt >= changedFrom) &&
  (changedBefore === undefined || item.updatedAt < changedBefore);

/** How many commands have each status; every status is present, 0 when none has it. */
export type CommandStatusCounts = Readonly<Record<CommandStatus, number>>;

/** Which commands `countByStatus` counts. */
export interface CommandCountFilter {
  readonly commandType?: string;
}

/** Counts with every status present, from (status, count) pairs; unknown statuses are ignored. */
export function statusCounts(pairs: Iterable<readonly [status: string, count: number]>): CommandStatusCounts {
  const counts = Object.fromEntries(commandStatuses.map((status) => [status, 0])) as Record<CommandStatus, number>;
  for (const [status, count] of pairs) if (status in counts) counts[status as CommandStatus] += count;
  return counts;
}

/** A stored read-model document and the token that guards its next replacement. */
export interface StoredCommandListItem {
  readonly item: CommandListItem;
  readonly etag: string;
}

/** Where the command-list read model lives: the `views` container on Azure, a SQLite table locally. */
export interface CommandListStore {
  get(commandId: string): Promise<StoredCommandListItem | undefined>;
  /**
   * Creates the document (`etag` undefined) or replaces it if its etag still matches.
   * Resolves false when another writer got there first (a 409 or 412): re-read and apply again.
   */
  save(item: CommandListItem, etag: string | undefined): Promise<boolean>;
  list(query: CommandListQuery): Promise<CommandListPage>;
  /** How many commands have each status, of one command type or of all. */
  countByStatus(filter?: CommandCountFilter): Promise<CommandStatusCounts>;
  /** A page of documents by last change, oldest first (updatedAt, then commandId), filtered as the query says. */
  listByLastChange(query: CommandChangeQuery): Promise<CommandListPage>;
}

/** The largest page a list returns. */
export const maxCommandListPageSize = 100;

/** @throws ValidationError `invalid_page_size` unless `limit` is a whole number from 1 to 100. */
export function assertPageSize(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxCommandListPageSize) {
    throw new ValidationError('invalid_page_size', `limit must be 1-${maxCommandListPageSize}, not ${String(limit)}`, { limit });
  }
}

/** The error for a continuation token a store did not hand out. */
export const invalidContinuation = (continuation: string): ValidationError =>
  new ValidationError('invalid_continuation', 'The continuation token is not one this store handed out', { continuation });
