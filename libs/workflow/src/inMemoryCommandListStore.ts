import type { CommandListItem } from '@commandflow/projections';
import {
  assertPageSize,
  compareOldestChangeFirst,
  matchesChangeQuery,
  type CommandChangeQuery,
  invalidContinuation,
  statusCounts,
  type CommandCountFilter,
  type CommandListPage,
  type CommandListQuery,
  type CommandListStore,
  type CommandStatusCounts,
  type StoredCommandListItem,
} from './commandListStore';

/** Newest first: createdAt descending, then commandId descending. */
export const compareNewestFirst = (a: CommandListItem, b: CommandListItem): number =>
  b.createdAt.localeCompare(a.createdAt) || b.commandId.localeCompare(a.commandId);

/** The command-list read model in process memory, for tests. Etags are revision numbers. */
export class InMemoryCommandListStore implements CommandListStore {
  private readonly documents = new Map<string, StoredCommandListItem>();

  async get(commandId: string): Promise<StoredCommandListItem | undefined> {
    return this.documents.get(commandId);
  }

  async save(item: CommandListItem, etag: string | undefined): Promise<boolean> {
    const current = this.documents.get(item.id);
    if (current?.etag !== etag) return false;
    this.documents.set(item.id, { item: structuredClone(item), etag: String(Number(etag ?? 0) + 1) });
    return true;
  }

  async list({ status, commandType, limit, continuation }: CommandListQuery): Promise<CommandListPage> {
    const matching = [...this.documents.values()]
      .map(({ item }) => item)
      .filter((item) => (status === undefined || item.status === status) && (commandType === undefined || item.commandType === commandType))
      .sort(compareNewestFirst);
    return page(matching, limit, continuation);
  }

  async listByLastChange(query: CommandChangeQuery): Promise<CommandListPage> {
    const matching = [...this.documents.values()].map(({ item }) => item).filter((item) => matchesChangeQuery(item, query)).sort(compareOldestChangeFirst);
    return page(matching, query.limit, query.continuation);
  }

  async countByStatus({ commandType }: CommandCountFilter = {}): Promise<CommandStatusCounts> {
    const items = [...this.documents.values()].map(({ item }) => item).filter((item) => commandType === undefined || item.commandType === commandType);
    return statusCounts(items.map((item) => [item.status, 1] as const));
  }
}

/** One page of sorted documents; the continuation is the offset of the next page. */
function page(sorted: readonly CommandListItem[], limit: number, continuation: string | undefined): CommandListPage {
  assertPageSize(limit);
  const start = continuation === undefined ? 0 : Number(continuation);
  if (continuation !== undefined && (!Number.isInteger(start) || start < 1 || String(start) !== continuation)) throw invalidContinuation(continuation);
  const items = sorted.slice(start, start + limit).map((item) => structuredClone(item));
  return start + limit < sorted.length ? { items, continuation: String(start + limit) } : { items };
}
