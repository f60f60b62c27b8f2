import type { Container } from '@azure/cosmos';
import { CosmosCommandListStore } from './cosmosCommandListStore';

/** A views container whose every query fails as real Cosmos DB fails it (the test server accepts any continuation). */
const failingQueries = (code: number) =>
  ({
    id: 'views',
    items: {
      query: () => ({
        hasMoreResults: () => true,
        fetchNext: () => Promise.reject(Object.assign(new Error('Invalid continuation token'), { code })),
      }),
    },
  }) as unknown as Container;

describe('CosmosCommandListStore against errors shaped like real Cosmos DB', () => {
  const continuation = Buffer.from('{"token":"+RID:forged"}').toString('base64url');

  it('answers a continuation Cosmos DB rejects (400) with invalid_continuation', async () => {
    await expect(new CosmosCommandListStore(failingQueries(400)).list({ limit: 10, continuation })).rejects.toMatchObject({
      code: 'invalid_continuation',
    });
  });

  it('surfaces any other failure of the list as a request error', async () => {
    await expect(new CosmosCommandListStore(failingQueries(503)).list({ limit: 10, continuation })).rejects.toMatchObject({
      code: 'cosmos_request_failed',
      retryable: true,
      message: expect.stringContaining('the command list'),
    });
  });
});
