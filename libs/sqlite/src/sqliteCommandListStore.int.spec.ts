import { describeCommandListStoreContract } from '@commandflow/workflow/testing';
import { SqliteCommandListStore } from './sqliteCommandListStore';
import { TemporaryDatabase, onTemporaryDatabase } from '../testing';

describeCommandListStoreContract('SqliteCommandListStore', async () => onTemporaryDatabase((db) => new SqliteCommandListStore(db)));

describe('SqliteCommandListStore', () => {
  it('rejects a continuation that decodes to something other than a key it handed out', async () => {
    const temporary = new TemporaryDatabase();
    try {
      const store = new SqliteCommandListStore(temporary.open());
      const notAKey = Buffer.from(JSON.stringify({ a: 1 })).toString('base64url');
      await expect(store.list({ limit: 1, continuation: notAKey })).rejects.toMatchObject({ code: 'invalid_continuation' });
    } finally {
      temporary.dispose();
    }
  });
});
