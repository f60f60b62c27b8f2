import { InvocationContext } from '@azure/functions';
import { sampleCatalogue } from '@commandflow/commands';
import { CosmosCommandListStore, CosmosEventStore, type CosmosContainers } from '@commandflow/cosmos';
import { startCosmosTestServer, type CosmosTestServer } from '@commandflow/cosmos/testing';
import { InMemoryWorkflow, defaultSweepSettings, type CommandListStore } from '@commandflow/workflow';
import { delegatingCommandListStore } from '@commandflow/workflow/testing';
import { TransientError, workflowEventCodec } from '@commandflow/events';
import { commandListItemFromStream } from '@commandflow/projections';
import { intakeFunctions } from './intakeFunctions';

/**
 * The change-feed projector as Azure runs it: the handler gets batches of documents read from
 * the events container (the test server's own change feed is broken, so the batches are read
 * with a query, in the order the feed gives: per stream by version).
 */
let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(() => server.close());

async function setUp(storeFor: (store: CommandListStore) => CommandListStore = (store) => store) {
  const containers: CosmosContainers = await server.freshDatabase();
  const eventStore = new CosmosEventStore(containers.events);
  const listStore = new CosmosCommandListStore(containers.views);
  const workflow = new InMemoryWorkflow(sampleCatalogue(), { eventStore });
  const projector = intakeFunctions(async () => ({ workflow: workflow.deps, catalogue: workflow.deps.catalogue, eventStore, listStore: storeFor(listStore), deadLetters: workflow.queues, delivery: workflow.policy, sweep: defaultSweepSettings })).find(
    (d) => d.kind === 'cosmosDBChangeFeed',
  );
  if (projector?.kind !== 'cosmosDBChangeFeed') throw new Error('intake has no change-feed function');
  const ids: string[] = [];
  for (const leagueName of ['Owls', 'Larks', '']) ids.push((await workflow.submit({ commandType: 'create-league', parameters: { leagueName } })).commandId);
  await workflow.drain();
  const { resources: documents } = await containers.events.items
    .query<Record<string, unknown> & { streamId: string; version: number }>('SELECT * FROM c ORDER BY c.version')
    .fetchAll();
  const errors: unknown[][] = [];
  const context = new InvocationContext({ functionName: projector.name, logHandler: (level, ...args) => level === 'error' && errors.push(args) });
  const project = (batch: unknown[]) => projector.options.handler(batch as never, context);
  const item = async (commandId: string) => (await listStore.get(commandId))?.item;
  return { ids, documents, project, item, listStore, errors };
}

describe('the change-feed projector (intake) on Cosmos DB', () => {
  it('builds one document per command from several streams interleaved (ignoring domain streams)', async () => {
    const { ids, documents, project, item } = await setUp();
    expect(new Set(documents.map((d) => d.streamId)).size).toBe(5);
    await project(documents.slice(0, 5));
    await project(documents.slice(5));
    expect(await item(ids[0]!)).toMatchObject({ status: 'Completed', version: 4, parameters: { leagueName: 'Owls' } });
    expect(await item(ids[1]!)).toMatchObject({ status: 'Completed', version: 4 });
    expect(await item(ids[2]!)).toMatchObject({ status: 'Invalid', version: 3 });
  });

  it('treats duplicates and a replay from the beginning as no-ops', async () => {
    const { ids, documents, project, item, listStore } = await setUp();
    await project(documents);
    const before = await listStore.get(ids[0]!);
    await project([...documents, ...documents.slice(0, 3)]);
    await project(documents);
    expect(await listStore.get(ids[0]!)).toEqual(before);
    expect((await listStore.list({ limit: 10 })).items).toHaveLength(3);
    expect(await item(ids[2]!)).toMatchObject({ status: 'Invalid' });
  });

  it('rebuilds a document from the stream when a batch skips versions', async () => {
    const { ids, documents, project, item } = await setUp();
    const owls = documents.filter((d) => d.streamId === `command-${ids[0]}`);
    await project([owls[0], owls[3]]);
    expect(await item(ids[0]!)).toMatchObject({ status: 'Completed', version: 4, parameters: { leagueName: 'Owls' } });
  });

  it('sets aside and reports a document it cannot decode, and projects the documents behind it', async () => {
    const { ids, documents, project, item, errors } = await setUp();
    const malformed = { ...documents[0], type: 'CommandTeleported' };
    await project([malformed, ...documents.slice(1)]);
    expect(errors).toEqual([
      [expect.stringContaining('Set aside 1 events'), [expect.objectContaining({ streamId: documents[0]?.streamId, version: 1, type: 'CommandTeleported' })]],
    ]);
    expect(await item(ids[1]!)).toMatchObject({ status: 'Completed', version: 4 });
  });

  it('rethrows a batch whose saves fail, so the host hands it over again; the redelivery leaves the read model right', async () => {
    let failing = true;
    const { ids, documents, project, listStore, errors } = await setUp((store) =>
      delegatingCommandListStore(store, {
        save: async (item, etag) => {
          if (failing) throw new TransientError('views_unavailable', 'The views container is unavailable');
          return store.save(item, etag);
        },
      }),
    );
    await expect(project(documents.slice(0, 6))).rejects.toMatchObject({ code: 'views_unavailable' });
    expect(errors).toEqual([[expect.stringMatching(/^Projecting 6 events of .* failed$/), expect.objectContaining({ code: 'views_unavailable' })]]);
    await expect(project(documents.slice(0, 6))).rejects.toMatchObject({ code: 'views_unavailable' });
    failing = false;
    await project(documents.slice(0, 6)); // the retry policy's redelivery (maxRetryCount -1: until it succeeds)
    await project(documents.slice(6));
    for (const commandId of ids) {
      const stream = documents.filter((document) => document.streamId === `command-${commandId}`);
      expect((await listStore.get(commandId))?.item).toEqual(commandListItemFromStream(workflowEventCodec.decodeAll(stream as never)));
    }
  });
});

