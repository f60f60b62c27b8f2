import { DefaultAzureCredential } from '@azure/identity';
import { cosmosClientOptions, defaultCosmosRetryOptions } from './cosmosConnection';

// Only the options are built here: a client with an identity would ask Entra ID for a token.
describe('cosmosClientOptions', () => {
  const endpoint = 'https://commandflow-dev.documents.azure.com:443/';

  it('connects by DefaultAzureCredential with the account endpoint, and no key', () => {
    const options = cosmosClientOptions({
      endpoint,
      credential: 'identity',
      managedIdentityClientId: '6f1c2a4e-0b7d-4c55-9a1e-3d2f8b9c0a11',
      databaseName: 'commandflow',
    });
    expect(options).toMatchObject({ endpoint, aadCredentials: expect.any(DefaultAzureCredential) });
    expect(options).not.toHaveProperty('key');
    expect(options).not.toHaveProperty('connectionString');
  });

  it("retries throttled and transient requests through the SDK's retry options", () => {
    const settings = { connectionString: 'AccountEndpoint=https://127.0.0.1:8081/;AccountKey=a2V5;', databaseName: 'commandflow' };
    expect(cosmosClientOptions(settings).connectionPolicy?.retryOptions).toEqual(defaultCosmosRetryOptions);
    const retryOptions = { maxRetryAttemptCount: 2, fixedRetryIntervalInMilliseconds: 50, maxWaitTimeInSeconds: 1 };
    expect(cosmosClientOptions(settings, { retryOptions }).connectionPolicy?.retryOptions).toEqual(retryOptions);
  });

  it('passes a connection string or an endpoint and key as they are', () => {
    const connectionString = 'AccountEndpoint=https://127.0.0.1:8081/;AccountKey=a2V5;';
    expect(cosmosClientOptions({ connectionString, databaseName: 'commandflow' })).toMatchObject({ connectionString });
    expect(cosmosClientOptions({ endpoint, key: 'a2V5', databaseName: 'commandflow' })).toMatchObject({ endpoint, key: 'a2V5' });
  });
});
