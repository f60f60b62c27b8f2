import { sampleCatalogue } from '@commandflow/commands';
import { InMemoryWorkflow } from '@commandflow/workflow';
import { CosmosEventStore } from './cosmosEventStore';
import { InMemoryCosmosMeter } from './cosmosMeter';
import { startCosmosTestServer, type CosmosTestServer } from '../testing';

let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(() => server.close());

describe('the whole workflow on the Cosmos DB event store (three steps, in-memory queue, test server)', () => {
  it('runs valid, invalid, warning-only and failing commands to their terminal status, writing each event once', async () => {
    const { events } = await server.freshDatabase();
    const meter = new InMemoryCosmosMeter();
    const workflow = new InMemoryWorkflow(sampleCatalogue(), { eventStore: new CosmosEventStore(events, { meter }) });
    const submit = async (commandType: string, parameters: Record<string, string>) => {
      const { commandId } = await workflow.submit({ commandType, parameters });
      await workflow.drain();
      return workflow.state(commandId);
    };
    expect(await submit('create-league', { leagueName: 'Owls', email: 'o@owls.example' })).toMatchObject({ status: 'Completed' });
    expect(await submit('create-league', { leagueName: 'Owls' })).toMatchObject({ status: 'Invalid', errors: [{ rule: 'league-name-unique' }] });
    expect(await submit('create-league', { leagueName: 'Larks', email: 'nope' })).toMatchObject({ status: 'Completed', warnings: [{ rule: 'email-format' }] });
    expect(await submit('invite-league-member', { leagueName: 'Owls', email: 'x@y.invalid' })).toMatchObject({
      status: 'Failed',
      failure: { code: 'undeliverable_address' },
    });
    const { resources } = await events.items.query<{ streamId: string; id: string }>('SELECT c.streamId, c.id FROM c').fetchAll();
    expect(resources.filter((d) => d.streamId.startsWith('league-')).map((d) => `${d.streamId}/${d.id}`).sort()).toEqual([
      'league-larks/0000000001',
      'league-larks/0000000002',
      'league-owls/0000000001',
      'league-owls/0000000002',
    ]);
    expect(meter.counts()).toMatchObject({ create: expect.any(Number), query: expect.any(Number) });
  });
});
