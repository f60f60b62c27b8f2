import { commandStreamId, workflowEventCodec } from '@commandflow/events';
import { commandListItemFromStream } from '@commandflow/projections';
import { InMemoryWorkflow, rebuildCommandList } from '@commandflow/workflow';
import { registerTeamCatalogue } from '@commandflow/workflow/testing';
import { CosmosCommandListStore } from './cosmosCommandListStore';
import { CosmosEventStore } from './cosmosEventStore';
import { replayCosmosEvents } from './cosmosEventReplay';
import { startCosmosTestServer, type CosmosTestServer } from '../testing';

let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(() => server.close());

// The test server's change feed serves its first page only (then 304 forever): one page holds every event here.
describe('replayCosmosEvents', () => {
  async function commandsOnCosmos() {
    const containers = await server.freshDatabase();
    const eventStore = new CosmosEventStore(containers.events);
    const workflow = new InMemoryWorkflow(registerTeamCatalogue().catalogue, { eventStore });
    const ids: string[] = [];
    for (const outcome of ['ok', 'permanent', 'ok']) {
      ids.push((await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls', outcome } })).commandId);
    }
    await workflow.drain();
    return { containers, eventStore, ids };
  }

  it('reads every event of the events container from the beginning, in version order per stream', async () => {
    const { containers, eventStore, ids } = await commandsOnCosmos();
    const replayed = [];
    for await (const batch of replayCosmosEvents(containers.events, { batchSize: 1000 })) replayed.push(...batch);
    for (const commandId of ids) {
      const stream = (await eventStore.readStream(commandStreamId(commandId))).events;
      expect(replayed.filter((event) => event.streamId === commandStreamId(commandId))).toEqual(stream);
    }
  });

  it('rebuilds the command list on Cosmos DB: every document a fresh fold of its stream', async () => {
    const { containers, eventStore, ids } = await commandsOnCosmos();
    const listStore = new CosmosCommandListStore(containers.views);
    const report = await rebuildCommandList({ listStore, eventStore }, replayCosmosEvents(containers.events, { batchSize: 1000 }));
    expect(report.applied).toBeGreaterThan(0);
    for (const commandId of ids) {
      const stream = workflowEventCodec.decodeAll((await eventStore.readStream(commandStreamId(commandId))).events);
      expect((await listStore.get(commandId))?.item).toEqual(commandListItemFromStream(stream));
    }
  });
});
