import type { Container } from '@azure/cosmos';
import type { CommandListItem, CommandStatus } from '@commandflow/projections';
import type { CommandListQuery } from '@commandflow/workflow';
import { CosmosCommandListStore } from './cosmosCommandListStore';
import { InMemoryCosmosMeter } from './cosmosMeter';
import { startCosmosTestServer, type CosmosTestServer } from './cosmosTestServer';

let server: CosmosTestServer;
let views: Container;
beforeAll(async () => {
  server = await startCosmosTestServer();
  ({ views } = await server.freshDatabase());
});
afterAll(() => server.close());

let commands = 0;
function item(createdAt: string, commandType = 'CreateLeague', status: 'Created' | 'Invalid' = 'Created'): CommandListItem {
  const commandId = `cmd-${++commands}`;
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
  return status === 'Created' ? { ...details, status } : { ...details, status, invalidatedAt: createdAt };
}

describe('CosmosCommandListStore', () => {
  it('gets nothing for a command without a document', async () => {
    await expect(new CosmosCommandListStore(views).get('no-such-command')).resolves.toBeUndefined();
  });

  it('creates a document once, then replaces it only with the etag it was read with', async () => {
    const store = new CosmosCommandListStore(views);
    const created = item('2026-01-01T00:00:00.000Z');
    await expect(store.save(created, undefined)).resolves.toBe(true);
    await expect(store.save(created, undefined)).resolves.toBe(false);

    const read = await store.get(created.id);
    expect(read).toEqual({ item: created, etag: expect.any(String) });
    const invalid: CommandListItem = { ...created, status: 'Invalid', invalidatedAt: '2026-01-01T00:00:01.000Z', version: 3 };
    await expect(store.save(invalid, read!.etag)).resolves.toBe(true);
    await expect(store.save({ ...invalid, version: 4 }, read!.etag)).resolves.toBe(false);
    const replaced = await store.get(created.id);
    expect(replaced?.item).toEqual(invalid);
    expect(replaced?.etag).not.toBe(read!.etag);
  });

  it('counts the commands of each status, of all types or of one', async () => {
    const store = new CosmosCommandListStore((await server.freshDatabase()).views);
    await expect(store.countByStatus()).resolves.toEqual({ Created: 0, Invalid: 0, Validated: 0, Completed: 0, Failed: 0 });
    for (const counted of [item('2026-03-01T00:00:00.000Z'), item('2026-03-02T00:00:00.000Z', 'RenameLeague'), item('2026-03-03T00:00:00.000Z', 'CreateLeague', 'Invalid')]) {
      await store.save(counted, undefined);
    }
    await expect(store.countByStatus()).resolves.toEqual({ Created: 2, Invalid: 1, Validated: 0, Completed: 0, Failed: 0 });
    await expect(store.countByStatus({ commandType: 'CreateLeague' })).resolves.toEqual({ Created: 1, Invalid: 1, Validated: 0, Completed: 0, Failed: 0 });
    await expect(store.countByStatus({ commandType: 'NoSuchType' })).resolves.toEqual({ Created: 0, Invalid: 0, Validated: 0, Completed: 0, Failed: 0 });
  });

  describe('list', () => {
    let store: CosmosCommandListStore;
    let all: CommandListItem[];
    beforeAll(async () => {
      // A database of its own, so that the other tests' documents stay out of the lists.
      store = new CosmosCommandListStore((await server.freshDatabase()).views);
      all = [
        item('2026-02-01T10:00:00.000Z', 'CreateLeague'),
        item('2026-02-03T10:00:00.000Z', 'RenameLeague', 'Invalid'),
        item('2026-02-02T10:00:00.000Z', 'RenameLeague'),
        item('2026-02-05T10:00:00.000Z', 'CreateLeague', 'Invalid'),
        item('2026-02-04T10:00:00.000Z', 'CreateLeague'),
      ];
      for (const listed of all) await store.save(listed, undefined);
    });

    const newestFirst = (items: readonly CommandListItem[]) => [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    async function everyPage(query: Omit<CommandListQuery, 'continuation'>) {
      const pages: string[][] = [];
      let continuation: string | undefined;
      do {
        const page = await store.list({ ...query, continuation });
        pages.push(page.items.map((listed) => listed.id));
        continuation = page.continuation;
      } while (continuation !== undefined);
      return pages;
    }

    it('lists newest first, whole documents', async () => {
      await expect(store.list({ limit: 100 })).resolves.toEqual({ items: newestFirst(all) });
    });

    it('pages with the continuation it hands out', async () => {
      const ids = newestFirst(all).map((listed) => listed.id);
      await expect(everyPage({ limit: 2 })).resolves.toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    });

    it.each<[string, { status?: CommandStatus; commandType?: string }]>([
      ['status', { status: 'Created' }],
      ['command type', { commandType: 'RenameLeague' }],
      ['status and command type', { status: 'Invalid', commandType: 'CreateLeague' }],
    ])('filters by %s', async (_label, filter) => {
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

  it('reports a point read per get, a create or replace per save, a query per page', async () => {
    const meter = new InMemoryCosmosMeter();
    const store = new CosmosCommandListStore(views, { meter });
    const created = item('2026-03-01T00:00:00.000Z');
    await store.save(created, undefined);
    const { etag } = (await store.get(created.id))!;
    await store.save({ ...created, version: 3 }, etag);
    await store.list({ limit: 10 });
    expect(meter.counts()).toEqual({ create: 1, pointRead: 1, replace: 1, query: 1 });
    expect(meter.totals().create.bytes).toBe(Buffer.byteLength(JSON.stringify(created)));
  });
});
