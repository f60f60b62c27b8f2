import { sampleCatalogue } from '@commandflow/commands';
import { commandStreamId } from '@commandflow/events';
import { SqliteEventStore, openCommandflowDatabase } from '@commandflow/sqlite';
import { bundleHost, eventually, startHostProcess } from '@commandflow/testing';
import { logCommand } from '@commandflow/workflow';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

jest.setTimeout(90_000);

const bundle = bundleHost();
afterAll(() => bundle.cleanup());

const json = async <T>(response: Promise<Response>): Promise<T> => (await (await response).json()) as T;

it('heals a command whose step message was lost: the sweeper nudges it and it runs to the end; a finished command is never touched', async () => {
  const databasePath = path.join(bundle.dir, 'sweeper.db');
  const host = await startHostProcess(bundle.script, {
    singleProcess: false,
    env: { COMMANDFLOW_DATABASE: databasePath, COMMANDFLOW_SWEEP_SCHEDULE: '* * * * * *', COMMANDFLOW_STALL_AFTER: 'PT2S' },
  });
  const db = openCommandflowDatabase({ path: databasePath });
  const eventStore = new SqliteEventStore(db);
  try {
    const finished = await json<{ commandId: string }>(
      fetch(`${host.url}/api/commands/create-league`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parameters: { leagueName: 'Finished FC' } }) }),
    );
    await eventually(() => json<{ status: string }>(fetch(`${host.url}/api/commands/${finished.commandId}`)), (state) => state.status === 'Completed');
    const finishedEvents = (await eventStore.readStream(commandStreamId(finished.commandId))).events;

    // The log step's events are written, and its validate message is lost on the way.
    const lostMessages: unknown[] = [];
    const { commandId } = await logCommand(
      { eventStore, sender: { send: async (_queue, message) => void lostMessages.push(message) }, catalogue: sampleCatalogue(), now: () => new Date(), newId: randomUUID },
      { commandType: 'create-league', parameters: { leagueName: 'Lost Letters' }, actor: 'tester', source: 'cli' },
    );
    expect(lostMessages).toHaveLength(1);

    const healed = await eventually(() => json<{ status: string }>(fetch(`${host.url}/api/commands/${commandId}`)), (state) => state.status === 'Completed', 30_000);
    expect(healed.status).toBe('Completed');
    expect(host.output()).toContain(`Nudged command ${commandId} (Created): re-sent validate as ${commandId}:validate:sweep-2-1, nudge 1`);
    expect(host.output()).not.toContain(`Nudged command ${finished.commandId}`);
    expect((await eventStore.readStream(commandStreamId(finished.commandId))).events).toEqual(finishedEvents);
    // Once the projector has the last events, nothing is stalled.
    const stalled = await eventually(() => json<{ items: unknown[] }>(fetch(`${host.url}/api/stalled-commands`)), (listed) => listed.items.length === 0);
    expect(stalled).toEqual({ stallAfterMs: 2_000, items: [] });
  } finally {
    db.close();
    await host.stop();
  }
});
