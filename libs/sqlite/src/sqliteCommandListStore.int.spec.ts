import type { CommandListItem, CommandStatus } from '@commandflow/projections';
import { SqliteCommandListStore } from './sqliteCommandListStore';
import { TemporaryDatabase } from './temporaryDatabase';

describe('SqliteCommandListStore', () => {
  let temporary: TemporaryDatabase;
  let store: SqliteCommandListStore;
  beforeEach(() => {
    temporary = new TemporaryDatabase();
    store = new SqliteCommandListStore(temporary.open());
  });
  afterEach(() => temporary.dispose());

  const item = (id: string, createdAt: string, status: CommandStatus = 'Created', commandType = 'CreateLeague'): CommandListItem =>
    ({
      id,
      commandId: id,
      status,
      commandType,
      actor: 'tester',
      source: 'http',
      correlationId: id,
      parameters: { name: `League ${id}` },
      errors: [],
      warnings: [],
      createdAt,
      updatedAt: createdAt,
      version: 2,
      ...(status === 'Created' ? {} : { validatedAt: createdAt, invalidatedAt: createdAt, completedAt: createdAt }),
    }) as CommandListItem;

  it('creates a document once, then replaces it only while the etag matches', async () => {
    const created = item('c-1', '2026-01-01T00:00:00.000Z');
    await expect(store.save(created, undefined)).resolves.toBe(true);
    await expect(store.save(created, undefined)).resolves.toBe(false);
    const stored = await store.get('c-1');
    expect(stored?.item).toEqual(created);

    const validated = item('c-1', '2026-01-01T00:00:00.000Z', 'Validated');
    await expect(store.save(validated, stored!.etag)).resolves.toBe(true);
    await expect(store.save(item('c-1', '2026-01-01T00:00:00.000Z', 'Invalid'), stored!.etag)).resolves.toBe(false);
    await expect(store.save(validated, 'not-an-etag')).resolves.toBe(false);
    const replaced = await store.get('c-1');
    expect(replaced?.item.status).toBe('Validated');
    expect(replaced?.etag).not.toBe(stored?.etag);
    await expect(store.get('missing')).resolves.toBeUndefined();
  });

  it('lists newest first (createdAt, then commandId) in pages with an opaque continuation', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const [n, id] of ids.entries()) await store.save(item(id, `2026-01-0${1 + Math.floor(n / 2)}T00:00:00.000Z`), undefined);
    // createdAt: a, b on the 1st; c, d on the 2nd; e on the 3rd.
    const pages: string[][] = [];
    let continuation: string | undefined;
    do {
      const page = await store.list({ limit: 2, continuation });
      pages.push(page.items.map((i) => i.id));
      continuation = page.continuation;
      if (continuation) expect(continuation).toMatch(/^[A-Za-z0-9_-]+$/);
    } while (continuation);
    expect(pages).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
    await expect(store.list({ limit: 5 })).resolves.toEqual({ items: expect.any(Array) });
  });

  it('filters by status and by command type, and pages within the filter', async () => {
    await store.save(item('1', '2026-01-01T00:00:01.000Z', 'Completed', 'CreateLeague'), undefined);
    await store.save(item('2', '2026-01-01T00:00:02.000Z', 'Created', 'CreateLeague'), undefined);
    await store.save(item('3', '2026-01-01T00:00:03.000Z', 'Completed', 'RenameLeague'), undefined);
    await store.save(item('4', '2026-01-01T00:00:04.000Z', 'Completed', 'CreateLeague'), undefined);
    const ids = async (query: Parameters<SqliteCommandListStore['list']>[0]) => (await store.list(query)).items.map((i) => i.id);

    await expect(ids({ limit: 10, status: 'Completed' })).resolves.toEqual(['4', '3', '1']);
    await expect(ids({ limit: 10, commandType: 'CreateLeague' })).resolves.toEqual(['4', '2', '1']);
    await expect(ids({ limit: 10, status: 'Completed', commandType: 'CreateLeague' })).resolves.toEqual(['4', '1']);
    const first = await store.list({ limit: 1, status: 'Completed' });
    await expect(ids({ limit: 5, status: 'Completed', continuation: first.continuation })).resolves.toEqual(['3', '1']);
  });

  it('counts the commands of each status, of all types or of one', async () => {
    const none = { Created: 0, Invalid: 0, Validated: 0, Completed: 0, Failed: 0 };
    await expect(store.countByStatus()).resolves.toEqual(none);
    await store.save(item('1', '2026-01-01T00:00:01.000Z', 'Completed', 'CreateLeague'), undefined);
    await store.save(item('2', '2026-01-01T00:00:02.000Z', 'Created', 'CreateLeague'), undefined);
    await store.save(item('3', '2026-01-01T00:00:03.000Z', 'Completed', 'RenameLeague'), undefined);
    await expect(store.countByStatus()).resolves.toEqual({ ...none, Created: 1, Completed: 2 });
    await expect(store.countByStatus({ commandType: 'CreateLeague' })).resolves.toEqual({ ...none, Created: 1, Completed: 1 });
    const stored = await store.get('2');
    await store.save(item('2', '2026-01-01T00:00:02.000Z', 'Failed', 'CreateLeague'), stored!.etag);
    await expect(store.countByStatus({ commandType: 'CreateLeague' })).resolves.toEqual({ ...none, Completed: 1, Failed: 1 });
    await expect(store.countByStatus({ commandType: 'NoSuchType' })).resolves.toEqual(none);
  });

  it('rejects a bad page size and a continuation it did not hand out', async () => {
    await expect(store.list({ limit: 0 })).rejects.toMatchObject({ code: 'invalid_page_size' });
    await expect(store.list({ limit: 101 })).rejects.toMatchObject({ code: 'invalid_page_size' });
    await expect(store.list({ limit: 1, continuation: 'garbage!' })).rejects.toMatchObject({ code: 'invalid_continuation' });
    const notAKey = Buffer.from(JSON.stringify({ a: 1 })).toString('base64url');
    await expect(store.list({ limit: 1, continuation: notAKey })).rejects.toMatchObject({ code: 'invalid_continuation' });
  });
});
