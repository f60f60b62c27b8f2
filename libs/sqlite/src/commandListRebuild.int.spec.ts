import { commandStreamId, workflowEventCodec } from '@commandflow/events';
import { commandListItemFromStream } from '@commandflow/projections';
import { InMemoryWorkflow, projectToCommandList, rebuildCommandList } from '@commandflow/workflow';
import { delegatingCommandListStore, registerTeamCatalogue } from '@commandflow/workflow/testing';
import type { CommandflowDatabase } from './commandflowDatabase';
import { FeedConsumer, replayFeed } from './feedConsumer';
import { SqliteCommandListStore } from './sqliteCommandListStore';
import { SqliteEventStore } from './sqliteEventStore';
import { SqliteFeedCheckpoints } from './sqliteFeedCheckpoints';
import { TemporaryDatabase } from '../testing';

describe('rebuilding the command list from the SQLite feed', () => {
  let temporary: TemporaryDatabase;
  let db: CommandflowDatabase;
  beforeEach(() => {
    temporary = new TemporaryDatabase();
    db = temporary.open();
  });
  afterEach(() => temporary.dispose());

  /** A workflow on the SQLite event store, its live projector on the feed, and the commands it has run. */
  function liveSystem() {
    const eventStore = new SqliteEventStore(db);
    const listStore = new SqliteCommandListStore(db);
    const workflow = new InMemoryWorkflow(registerTeamCatalogue().catalogue, { eventStore });
    const live = new FeedConsumer({
      name: 'command-list.',
      feed: eventStore,
      checkpoints: new SqliteFeedCheckpoints(db),
      batchSize: 5,
      handle: async (events) => void (await projectToCommandList({ listStore, eventStore }, events)),
    });
    const ids: string[] = [];
    /** One more command, run to its end, with one batch of the live projector. */
    const traffic = async (outcome = 'ok') => {
      ids.push((await workflow.submit({ commandType: 'register-team', parameters: { teamName: `Team ${ids.length}`, outcome } })).commandId);
      await workflow.drain();
      await live.poll();
    };
    const catchUp = async () => {
      while ((await live.poll()) > 0);
    };
    /** Every command's document equals a fresh fold of its stream. */
    const expectFreshFold = async () => {
      for (const commandId of ids) {
        const stream = workflowEventCodec.decodeAll((await eventStore.readStream(commandStreamId(commandId))).events);
        expect((await listStore.get(commandId))?.item).toEqual(commandListItemFromStream(stream));
      }
    };
    return { eventStore, listStore, ids, traffic, catchUp, expectFreshFold };
  }

  it('equals a fresh fold of every stream, with live traffic and the live projector writing between and during its saves', async () => {
    const { eventStore, listStore, ids, traffic, catchUp, expectFreshFold } = liveSystem();
    for (let n = 0; n < 6; n++) await traffic(n % 3 === 2 ? 'permanent' : 'ok');
    await catchUp();
    // The read model loses documents and falls behind (as after a wipe, or a lost batch).
    db.prepare('DELETE FROM command_list WHERE command_id IN (?, ?)').run(ids[0], ids[1]);
    const lagging = (await listStore.get(ids[2]!))!;
    await listStore.save(commandListItemFromStream(workflowEventCodec.decodeAll((await eventStore.readStream(commandStreamId(ids[2]!), { toVersion: 2 })).events))!, lagging.etag);

    // The rebuild's saves race the live system: before every third save, another command runs and
    // the live projector writes the very document being saved, so that save finds its etag stale
    // and must read again.
    let saves = 0;
    let lostRaces = 0;
    const racing = delegatingCommandListStore(listStore, {
      save: async (item, etag) => {
        if (++saves % 3 === 0 && saves <= 30) {
          await traffic();
          await projectToCommandList({ listStore, eventStore }, (await eventStore.readStream(commandStreamId(item.commandId))).events);
        }
        const saved = await listStore.save(item, etag);
        if (!saved) lostRaces++;
        return saved;
      },
    });
    async function* replayWithTraffic() {
      let batches = 0;
      for await (const batch of replayFeed(eventStore, { batchSize: 4 })) {
        yield batch;
        if (++batches <= 5) await traffic(); // and more traffic between the first batches, that the replay reaches too
      }
    }
    const report = await rebuildCommandList({ listStore: racing, eventStore }, replayWithTraffic());
    expect(lostRaces).toBeGreaterThan(0);
    await catchUp();

    expect(report.events).toBeGreaterThan(30);
    expect(report.applied + report.rebuilt).toBeGreaterThan(0);
    expect(ids.length).toBeGreaterThan(10);
    await expectFreshFold();
    expect((await listStore.list({ limit: 100 })).items).toHaveLength(ids.length);
  });

  it('replays the whole feed in order, in batches, and nothing once it is caught up', async () => {
    const { eventStore, traffic } = liveSystem();
    for (let n = 0; n < 3; n++) await traffic();
    const positions: number[] = [];
    for await (const batch of replayFeed(eventStore, { batchSize: 5 })) {
      expect(batch.length).toBeLessThanOrEqual(5);
      positions.push(...batch.map((event) => event.position));
    }
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
    const after: unknown[] = [];
    for await (const batch of replayFeed(eventStore, { afterPosition: positions.length })) after.push(batch);
    expect(after).toEqual([]);
  });
});
