import { containers, eventsContainer, viewsContainer } from '@commandflow/topology';
import { connectCosmos } from './cosmosConnection';
import { ensureCosmosContainers } from './cosmosContainers';
import { CosmosEventStore } from './cosmosEventStore';
import { cosmosSettingsFromEnv } from './cosmosSettings';
import { emulatorKey, startCosmosTestServer, type CosmosTestServer } from '../testing';

let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(() => server.close());

describe('ensureCosmosContainers', () => {
  it('creates the database and every container as the topology defines it, and is idempotent', async () => {
    await ensureCosmosContainers(server.client, 'ensure-twice');
    const { database, events, views, leases, usage } = await ensureCosmosContainers(server.client, 'ensure-twice');
    expect(database.id).toBe('ensure-twice');
    expect([events.id, views.id, leases.id, usage.id]).toEqual(containers.map(({ name }) => name));
    for (const definition of containers) {
      const { resource } = await database.container(definition.name).read();
      expect(resource?.partitionKey?.paths).toEqual([definition.partitionKeyPath]);
      expect(resource?.indexingPolicy).toMatchObject(definition.indexingPolicy);
    }
    expect((await events.read()).resource?.indexingPolicy?.excludedPaths).toContainEqual({ path: '/data/*' });
  });
});

describe('connectCosmos', () => {
  it('connects with a connection string from the environment to the configured database', async () => {
    const settings = cosmosSettingsFromEnv({
      COSMOS: `AccountEndpoint=${server.endpoint};AccountKey=${emulatorKey};`,
      COSMOS_DATABASE: 'from-env',
    });
    await ensureCosmosContainers(server.client, 'from-env');
    const connection = connectCosmos(settings!, { agent: server.agent });
    try {
      const { database, events, views } = connection;
      expect([database.id, events.id, views.id]).toEqual(['from-env', eventsContainer.name, viewsContainer.name]);
      const store = new CosmosEventStore(events);
      const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: 'a', occurredAt: '2026-01-01T00:00:00Z', schemaVersion: 1 };
      const event = { eventId: 'e-1', type: 'Happened', data: {}, metadata };
      await store.appendToStream('connected-1', [event], { expectedVersion: 'no-stream' });
      await expect(store.readStream('connected-1')).resolves.toMatchObject({ version: 1 });
    } finally {
      connection.client.dispose();
    }
  });
});
