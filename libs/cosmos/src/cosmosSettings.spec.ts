import { cosmosSettingsFromEnv } from './cosmosSettings';

const endpoint = 'https://commandflow-dev.documents.azure.com:443/';
const clientId = '6f1c2a4e-0b7d-4c55-9a1e-3d2f8b9c0a11';
const connectionString = 'AccountEndpoint=https://127.0.0.1:8081/;AccountKey=c2VjcmV0LWtleQ==;';

describe('cosmosSettingsFromEnv', () => {
  it('connects by managed identity to the account endpoint, as deployed, in the default database', () => {
    expect(cosmosSettingsFromEnv({ COSMOS__accountEndpoint: endpoint })).toEqual({
      endpoint,
      credential: 'identity',
      databaseName: 'commandflow',
    });
    const env = { COSMOS__accountEndpoint: endpoint, COSMOS__clientId: clientId, COSMOS_DATABASE: 'cf-test' };
    expect(cosmosSettingsFromEnv(env)).toEqual({
      endpoint,
      credential: 'identity',
      managedIdentityClientId: clientId,
      databaseName: 'cf-test',
    });
  });

  it('connects by connection string to an emulator', () => {
    expect(cosmosSettingsFromEnv({ COSMOS: connectionString })).toEqual({
      connectionString,
      databaseName: 'commandflow',
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['no setting at all', {}, /^Setting COSMOS__accountEndpoint is required/],
    ['only blank settings', { COSMOS__accountEndpoint: '  ', COSMOS_DATABASE: 'commandflow' }, /^Setting COSMOS__accountEndpoint is required/],
    ['an endpoint that is not https', { COSMOS__accountEndpoint: 'http://localhost:8081' }, /^Setting COSMOS__accountEndpoint must be an https URL/],
    ['an endpoint that is not a URL', { COSMOS__accountEndpoint: 'commandflow-dev' }, /^Setting COSMOS__accountEndpoint must be an https URL/],
    ['a client id that is not a GUID', { COSMOS__accountEndpoint: endpoint, COSMOS__clientId: 'my-identity' }, /^Setting COSMOS__clientId must be/],
    ['a client id with a connection string', { COSMOS: connectionString, COSMOS__clientId: clientId }, /^Setting COSMOS__clientId applies only/],
    ['both an endpoint and a connection string', { COSMOS__accountEndpoint: endpoint, COSMOS: connectionString }, /^Setting COSMOS cannot be combined/],
    ['a connection string without a key', { COSMOS: 'AccountEndpoint=https://127.0.0.1:8081/;' }, /^Setting COSMOS must look like/],
    ['a database name with a slash', { COSMOS__accountEndpoint: endpoint, COSMOS_DATABASE: 'a/b' }, /^Setting COSMOS_DATABASE must be a Cosmos DB id/],
  ])('rejects %s, naming the setting', (_label, env, message) => {
    expect(() => cosmosSettingsFromEnv(env)).toThrow(expect.objectContaining({ message: expect.stringMatching(message) }));
  });

  it('never echoes the account key of a bad connection string', () => {
    const leaky = 'AccountEndpoint=not-a-url;AccountKey=super-secret-key;';
    expect(() => cosmosSettingsFromEnv({ COSMOS: leaky })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('super-secret-key') }));
  });
});
