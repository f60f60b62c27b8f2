import { z } from 'zod';
import { commandStreamId, type EventEnvelope } from '@commandflow/events';
import { CommandCatalogue, defineCommand } from './commandDefinition';
import { projectToCommandList } from './commandListProjector';
import type { CommandListStore } from './commandListStore';
import { InMemoryCommandListStore } from './inMemoryCommandListStore';
import { InMemoryWorkflow } from './inMemoryWorkflow';
import { delegatingCommandListStore } from '../testing';

const noop = defineCommand({ type: 'noop', description: 'does nothing', parameters: z.object({ n: z.number() }), execute: () => undefined });

async function workflowWithCommands(count: number) {
  const workflow = new InMemoryWorkflow(new CommandCatalogue([noop]));
  const ids: string[] = [];
  for (let n = 0; n < count; n++) ids.push((await workflow.submit({ commandType: 'noop', parameters: { n } })).commandId);
  await workflow.drain();
  const streams = await Promise.all(ids.map(async (id) => (await workflow.eventStore.readStream(commandStreamId(id))).events));
  return { workflow, ids, streams };
}

/** Interleaves streams the way a change feed may: in order per stream, mixed across streams. */
const interleave = (streams: readonly (readonly EventEnvelope[])[]): EventEnvelope[] =>
  streams[0]!.flatMap((_, version) => streams.map((events) => events[version]).filter((e): e is EventEnvelope => e !== undefined));

describe('projectToCommandList', () => {
  it('given several streams interleaved, builds one document per command at its last version', async () => {
    const { workflow, ids, streams } = await workflowWithCommands(3);
    const listStore = new InMemoryCommandListStore();
    const report = await projectToCommandList({ listStore, eventStore: workflow.eventStore }, interleave(streams));
    expect(report).toEqual({ applied: 12, duplicates: 0, rebuilt: 0, ignored: 0, setAside: [] });
    const { items } = await listStore.list({ limit: 10 });
    expect(items.map((i) => [i.commandId, i.status, i.version])).toEqual(
      [...ids].reverse().map((id) => [id, 'Completed', 4]),
    );
  });

  it('treats duplicates and a replay from the beginning as no-ops', async () => {
    const { workflow, streams } = await workflowWithCommands(2);
    const listStore = new InMemoryCommandListStore();
    const feed = interleave(streams);
    await projectToCommandList({ listStore, eventStore: workflow.eventStore }, feed);
    const before = await listStore.list({ limit: 10 });
    const replay = await projectToCommandList({ listStore, eventStore: workflow.eventStore }, [...feed, feed[0]!, ...feed]);
    expect(replay).toEqual({ applied: 0, duplicates: 17, rebuilt: 0, ignored: 0, setAside: [] });
    expect(await listStore.list({ limit: 10 })).toEqual(before);
  });

  it('rebuilds a document from the stream when the feed skips versions', async () => {
    const { workflow, ids, streams } = await workflowWithCommands(1);
    const listStore = new InMemoryCommandListStore();
    const [created, , , completed] = streams[0]!;
    const report = await projectToCommandList({ listStore, eventStore: workflow.eventStore }, [created!, completed!]);
    expect(report).toEqual({ applied: 1, duplicates: 0, rebuilt: 1, ignored: 0, setAside: [] });
    expect((await listStore.get(ids[0]!))?.item).toMatchObject({ status: 'Completed', version: 4, parameters: { n: 0 } });
  });

  it('sets aside an event that cannot be decoded, reports it, and projects the events behind it (of its own stream and of others)', async () => {
    const { workflow, ids, streams } = await workflowWithCommands(2);
    const listStore = new InMemoryCommandListStore();
    const [first, second] = streams as [EventEnvelope[], EventEnvelope[]];
    const unreadable = { ...first[1]!, data: { name: 'n', value: undefined } };
    const feed = [first[0]!, unreadable, ...first.slice(2), ...second];
    const report = await projectToCommandList({ listStore, eventStore: workflow.eventStore }, feed);
    expect(report.setAside).toEqual([{ streamId: first[1]!.streamId, version: 2, type: 'ParameterSet', reason: expect.stringContaining('malformed data') }]);
    expect((await listStore.get(ids[0]!))?.item).toMatchObject({ status: 'Completed', version: 4 });
    expect((await listStore.get(ids[1]!))?.item).toMatchObject({ status: 'Completed', version: 4, parameters: { n: 1 } });
    const again = await projectToCommandList({ listStore, eventStore: workflow.eventStore }, feed);
    expect(again).toMatchObject({ applied: 0, setAside: [expect.objectContaining({ version: 2 })] });
  });

  it('passes over events of other streams', async () => {
    const { workflow, streams } = await workflowWithCommands(1);
    const domainEvent = { ...streams[0]![0]!, streamId: 'league-owls', type: 'LeagueFormed' };
    const report = await projectToCommandList({ listStore: new InMemoryCommandListStore(), eventStore: workflow.eventStore }, [domainEvent]);
    expect(report.ignored).toBe(1);
  });

  it('re-reads and applies again after losing a save race, and throws once it keeps losing', async () => {
    const { workflow, ids, streams } = await workflowWithCommands(1);
    const inner = new InMemoryCommandListStore();
    let lose = 2;
    const racing = delegatingCommandListStore(inner, { save: async (item, etag) => (lose-- > 0 ? false : inner.save(item, etag)) });
    await projectToCommandList({ listStore: racing, eventStore: workflow.eventStore }, streams[0]!);
    expect((await inner.get(ids[0]!))?.item.version).toBe(4);
    const alwaysLosing: CommandListStore = { ...racing, get: async () => undefined, save: async () => false };
    await expect(
      projectToCommandList({ listStore: alwaysLosing, eventStore: workflow.eventStore, maxSaveAttempts: 3 }, streams[0]!),
    ).rejects.toMatchObject({ code: 'read_model_contention', retryable: true });
  });
});
