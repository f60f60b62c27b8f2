import type { CommandListItem, CommandStatus } from '@commandflow/projections';
import type { CommandChangeQuery, CommandListPage, CommandListQuery, CommandListStore } from '../src';

export interface CommandListStoreFixture {
  /** An empty store. */
  readonly store: CommandListStore;
  dispose?(): Promise<void> | void;
}

let commands = 0;

/** A read-model document for store tests: a command of `commandType` in `status`, created at `createdAt`. */
export function commandListItem(createdAt: string, commandType = 'create-league', status: 'Created' | 'Invalid' = 'Created'): CommandListItem {
  const commandId = `cmd-${(++commands).toString().padStart(4, '0')}`;
  const details = {
    id: commandId,
    commandId,
    commandType,
    actor: 'tester',
    source: 'http' as const,
    correlationId: `corr-${commandId}`,
    parameters: { name: 'Ünïcödé league' },
    errors: [],
    warnings: [],
    createdAt,
    updatedAt: createdAt,
    version: 2,
  };
  return status === 'Created' ? { ...details, status } : { ...details, status, invalidatedAt: createdAt, version: 3 };
}

/** The ids on every page of a query, page by page, following its continuations to the end. */
async function idsOfEveryPage(fetchPage: (continuation: string | undefined) => Promise<CommandListPage>): Promise<string[][]> {
  const pages: string[][] = [];
  let continuation: string | undefined;
  do {
    const page = await fetchPage(continuation);
    pages.push(page.items.map((item) => item.id));
    continuation = page.continuation;
  } while (continuation !== undefined);
  return pages;
}

/**
 * A store that delegates every call to `store`, except those `overrides` replaces: for tests
 * that make one operation fail or race.
 */
export const delegatingCommandListStore = (store: CommandListStore, overrides: Partial<CommandListStore> = {}): CommandListStore => ({
  get: (commandId) => store.get(commandId),
  save: (item, etag) => store.save(item, etag),
  list: (query) => store.list(query),
  countByStatus: (filter) => store.countByStatus(filter),
  listByLastChange: (query) => store.listByLastChange(query),
  ...overrides,
});

/**
 * The behaviour every CommandListStore adapter must have: optimistic saves guarded by etags,
 * counts by status, newest-first lists (createdAt, then commandId) filtered by status and type,
 * paged by opaque continuations, and clear errors for a bad page size or a foreign continuation;
 * and lists by last change (oldest first, unfinished only, within a time range) for the sweeper.
 */
export function describeCommandListStoreContract(adapterName: string, createFixture: () => Promise<CommandListStoreFixture>): void {
  describe(`${adapterName} (command-list store contract)`, () => {
    let fixture: CommandListStoreFixture;
    let store: CommandListStore;
    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('gets nothing for a command without a document', async () => {
      await expect(store.get('no-such-command')).resolves.toBeUndefined();
    });

    it('creates a document once, then replaces it only with the etag it was read with', async () => {
      const created = commandListItem('2026-01-01T00:00:00.000Z');
      await expect(store.save(created, undefined)).resolves.toBe(true);
      await expect(store.save(created, undefined)).resolves.toBe(false);
      const read = await store.get(created.id);
      expect(read).toEqual({ item: created, etag: expect.any(String) });
      const invalid: CommandListItem = { ...created, status: 'Invalid', invalidatedAt: '2026-01-01T00:00:01.000Z', version: 3 };
      await expect(store.save(invalid, read!.etag)).resolves.toBe(true);
      await expect(store.save({ ...invalid, version: 4 }, read!.etag)).resolves.toBe(false);
      await expect(store.save({ ...invalid, version: 4 }, 'not-an-etag')).resolves.toBe(false);
      const replaced = await store.get(created.id);
      expect(replaced?.item).toEqual(invalid);
      expect(replaced?.etag).not.toBe(read!.etag);
    });

    it('counts the commands of each status, of all types or of one, every status present', async () => {
      const none = { Created: 0, Invalid: 0, Validated: 0, Completed: 0, Failed: 0 };
      await expect(store.countByStatus()).resolves.toEqual(none);
      for (const counted of [
        commandListItem('2026-03-01T00:00:00.000Z', 'create-league'),
        commandListItem('2026-03-02T00:00:00.000Z', 'rename-league'),
        commandListItem('2026-03-03T00:00:00.000Z', 'create-league', 'Invalid'),
      ]) {
        await store.save(counted, undefined);
      }
      await expect(store.countByStatus()).resolves.toEqual({ ...none, Created: 2, Invalid: 1 });
      await expect(store.countByStatus({ commandType: 'create-league' })).resolves.toEqual({ ...none, Created: 1, Invalid: 1 });
      await expect(store.countByStatus({ commandType: 'no-such-type' })).resolves.toEqual(none);
    });

    describe('listByLastChange', () => {
      const changedAt = (item: CommandListItem, updatedAt: string, status?: 'Validated' | 'Completed'): CommandListItem => {
        const changed = { ...item, updatedAt, version: 3 };
        if (status === 'Validated') return { ...changed, status, validatedAt: updatedAt } as CommandListItem;
        if (status === 'Completed') return { ...changed, status, validatedAt: updatedAt, completedAt: updatedAt, version: 4 } as CommandListItem;
        return changed;
      };
      let documents: CommandListItem[];
      beforeEach(async () => {
        documents = [
          changedAt(commandListItem('2026-04-01T00:00:00.000Z'), '2026-04-01T00:05:00.000Z'),
          changedAt(commandListItem('2026-04-01T00:00:00.000Z'), '2026-04-01T00:01:00.000Z', 'Validated'),
          changedAt(commandListItem('2026-04-01T00:00:00.000Z'), '2026-04-01T00:02:00.000Z', 'Completed'),
          changedAt(commandListItem('2026-04-01T00:00:00.000Z', 'create-league', 'Invalid'), '2026-04-01T00:03:00.000Z'),
          changedAt(commandListItem('2026-04-01T00:00:00.000Z'), '2026-04-01T00:01:00.000Z'),
          changedAt(commandListItem('2026-04-01T00:00:00.000Z'), '2026-04-01T00:09:00.000Z', 'Validated'),
        ];
        for (const document of documents) await store.save(document, undefined);
      });
      const oldestChangeFirst = (items: readonly CommandListItem[]) =>
        [...items].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.commandId.localeCompare(b.commandId)).map((item) => item.id);
      const everyPage = (query: Omit<CommandChangeQuery, 'continuation'>) => idsOfEveryPage((continuation) => store.listByLastChange({ ...query, continuation }));

      it('lists every document by last change, oldest first (updatedAt, then commandId), whole documents', async () => {
        const page = await store.listByLastChange({ limit: 100 });
        expect(page.items.map((item) => item.id)).toEqual(oldestChangeFirst(documents));
        expect(page.items[0]).toEqual(documents.find((item) => item.id === page.items[0]?.id));
      });

      it('lists only unfinished commands changed before an instant: the stalled ones, paged', async () => {
        const stalled = documents.filter((item) => (item.status === 'Created' || item.status === 'Validated') && item.updatedAt < '2026-04-01T00:06:00.000Z');
        expect(stalled).toHaveLength(3);
        await expect(everyPage({ unfinished: true, changedBefore: '2026-04-01T00:06:00.000Z', limit: 2 })).resolves.toEqual([
          oldestChangeFirst(stalled).slice(0, 2),
          oldestChangeFirst(stalled).slice(2),
        ]);
      });

      it('lists commands of every status changed within a range: the recent ones', async () => {
        const recent = documents.filter((item) => item.updatedAt >= '2026-04-01T00:02:00.000Z' && item.updatedAt < '2026-04-01T00:09:00.000Z');
        await expect(everyPage({ changedFrom: '2026-04-01T00:02:00.000Z', changedBefore: '2026-04-01T00:09:00.000Z', limit: 1 })).resolves.toEqual(
          oldestChangeFirst(recent).map((id) => [id]),
        );
      });

      it('sees a document move when a save changes its last change and status', async () => {
        const moved = documents[1]!;
        const { etag } = (await store.get(moved.id))!;
        await store.save(changedAt(moved, '2026-04-01T00:10:00.000Z', 'Completed'), etag);
        const stalled = await store.listByLastChange({ unfinished: true, changedBefore: '2026-04-02T00:00:00.000Z', limit: 100 });
        expect(stalled.items.map((item) => item.id)).not.toContain(moved.id);
        const latest = await store.listByLastChange({ changedFrom: '2026-04-01T00:10:00.000Z', limit: 100 });
        expect(latest.items.map((item) => item.id)).toEqual([moved.id]);
      });

      it('rejects a page size outside 1..100 and a continuation it did not hand out', async () => {
        await expect(store.listByLastChange({ limit: 0 })).rejects.toMatchObject({ code: 'invalid_page_size' });
        await expect(store.listByLastChange({ limit: 1, continuation: 'not a token!' })).rejects.toMatchObject({ code: 'invalid_continuation' });
      });
    });

    describe('list', () => {
      let all: CommandListItem[];
      beforeEach(async () => {
        all = [
          commandListItem('2026-02-01T10:00:00.000Z', 'create-league'),
          commandListItem('2026-02-03T10:00:00.000Z', 'rename-league', 'Invalid'),
          commandListItem('2026-02-02T10:00:00.000Z', 'rename-league'),
          commandListItem('2026-02-05T10:00:00.000Z', 'create-league', 'Invalid'),
          commandListItem('2026-02-04T10:00:00.000Z', 'create-league'),
          commandListItem('2026-02-04T10:00:00.000Z', 'create-league'),
        ];
        for (const listed of all) await store.save(listed, undefined);
      });

      const newestFirst = (items: readonly CommandListItem[]) =>
        [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.commandId.localeCompare(a.commandId));
      const everyPage = (query: Omit<CommandListQuery, 'continuation'>) => idsOfEveryPage((continuation) => store.list({ ...query, continuation }));

      it('lists newest first (createdAt, then commandId), whole documents', async () => {
        await expect(store.list({ limit: 100 })).resolves.toEqual({ items: newestFirst(all) });
      });

      it('pages with the continuation it hands out', async () => {
        const ids = newestFirst(all).map((listed) => listed.id);
        await expect(everyPage({ limit: 4 })).resolves.toEqual([ids.slice(0, 4), ids.slice(4)]);
        await expect(everyPage({ limit: 2 })).resolves.toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
      });

      it.each<[string, { status?: CommandStatus; commandType?: string }]>([
        ['status', { status: 'Created' }],
        ['command type', { commandType: 'rename-league' }],
        ['status and command type', { status: 'Invalid', commandType: 'create-league' }],
      ])('filters by %s, and pages within the filter', async (_label, filter) => {
        const expected = newestFirst(all)
          .filter(({ status, commandType }) => (filter.status ?? status) === status && (filter.commandType ?? commandType) === commandType)
          .map((listed) => listed.id);
        expect(expected.length).toBeGreaterThan(0);
        await expect(everyPage({ ...filter, limit: 1 })).resolves.toEqual(expected.map((id) => [id]));
      });

      it('rejects a page size outside 1..100 and a continuation it did not hand out', async () => {
        await expect(store.list({ limit: 0 })).rejects.toMatchObject({ code: 'invalid_page_size' });
        await expect(store.list({ limit: 101 })).rejects.toMatchObject({ code: 'invalid_page_size' });
        await expect(store.list({ limit: 2, continuation: 'not a token!' })).rejects.toMatchObject({ code: 'invalid_continuation' });
      });
    });
  });
}
