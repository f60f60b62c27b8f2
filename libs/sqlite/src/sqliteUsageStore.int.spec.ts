import { describeUsageStoreContract, stepUsage } from '@commandflow/usage/testing';
import { SqliteUsageStore } from './sqliteUsageStore';
import { TemporaryDatabase, onTemporaryDatabase } from '../testing';

describeUsageStoreContract('SqliteUsageStore', async () => onTemporaryDatabase((db) => new SqliteUsageStore(db)));

describe('SqliteUsageStore', () => {
  it('writes a batch in one transaction: all of it or, if a record cannot be stored, none', async () => {
    const temporary = new TemporaryDatabase();
    try {
      const store = new SqliteUsageStore(temporary.open());
      const good = stepUsage('cmd-batch', 'validate', '2026-12-01T10:00:00.000Z');
      const unstorable = { ...stepUsage('cmd-batch', 'execute', '2026-12-01T10:00:01.000Z'), commandId: null as unknown as string };
      // The message, not toThrow: SqliteError may come from another test file's realm, where instanceof Error fails.
      const failure = await store.append([good, unstorable]).then(() => 'stored', (error: { message?: string }) => error.message);
      expect(failure).toMatch(/NOT NULL/);
      expect(await store.usageOf('cmd-batch')).toEqual([]);
    } finally {
      temporary.dispose();
    }
  });

  it('is read by another connection, as another process would (whichever opens first creates the table)', async () => {
    const temporary = new TemporaryDatabase();
    try {
      const writer = new SqliteUsageStore(temporary.open());
      const reader = new SqliteUsageStore(temporary.open());
      const batch = Array.from({ length: 50 }, (_, i) => stepUsage('cmd-many', 'validate', `2026-12-01T10:00:${String(i).padStart(2, '0')}.000Z`));
      await writer.append(batch);
      expect(await reader.usageOf('cmd-many')).toEqual(batch);
    } finally {
      temporary.dispose();
    }
  });
});
