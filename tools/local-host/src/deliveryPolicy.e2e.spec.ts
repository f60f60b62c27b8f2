import { openCommandflowDatabase, type CommandflowDatabase } from '@commandflow/sqlite';
import { expectBackOff, registerTeamCatalogue, retryMessageIds } from '@commandflow/workflow/testing';
import { eventually } from '@commandflow/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localAppsOf } from './localApps';
import { startLocalHost, type RunningHost } from './localHost';

jest.setTimeout(60_000);

/** The back-off the host is started with (COMMANDFLOW_RETRY_DELAY PT0.1S). */
const retryPolicy = { baseDelayMs: 100, maxDelayMs: 300_000 };

/**
 * The delivery policy on the local host: the real apps' function lists over the SQLite queue, with
 * a test catalogue whose validation depends on a registry that can be down, and whose handler can
 * fail transiently. Retries are scheduled messages; every one the queue stores is recorded by a
 * trigger in the database, so the back-off can be read from the scheduled times.
 */
describe('the local host applies the delivery policy', () => {
  const registry = { validations: 0, failNextValidations: 0 };
  let folder: string;
  let host: RunningHost;
  let db: CommandflowDatabase;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'delivery-'));
    const databasePath = path.join(folder, 'delivery.db');
    db = openCommandflowDatabase({ path: databasePath });
    db.exec(`CREATE TABLE sent (queue TEXT, message_id TEXT, enqueued_at INTEGER, visible_at INTEGER);
             CREATE TRIGGER record_sent AFTER INSERT ON queue_messages
             BEGIN INSERT INTO sent VALUES (new.queue, new.message_id, new.enqueued_at, new.visible_at); END;`);
    host = await startLocalHost({
      apps: localAppsOf(registerTeamCatalogue(registry).catalogue),
      env: { COMMANDFLOW_DATABASE: databasePath, MAX_DELIVERY_COUNT: '4', COMMANDFLOW_RETRY_DELAY: 'PT0.1S' },
      port: 0,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await host.stop();
    db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const submit = async (parameters: Record<string, unknown>): Promise<string> => {
    const reply = await fetch(`${host.url}/api/commands/register-team`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parameters }),
    });
    return ((await reply.json()) as { commandId: string }).commandId;
  };
  const terminal = (commandId: string) =>
    eventually(
      async () => (await (await fetch(`${host.url}/api/commands/${commandId}`)).json()) as Record<string, unknown>,
      (state) => ['Completed', 'Invalid', 'Failed'].includes(String(state['status'])),
    );
  const sent = (commandId: string, queue: string) =>
    db
      .prepare<[string, string], { message_id: string; delay: number }>(
        "SELECT message_id, visible_at - enqueued_at AS delay FROM sent WHERE queue = ? AND message_id LIKE ? || '%' ORDER BY rowid",
      )
      .all(queue, commandId);

  it('retries a validate step that throws transiently three times, then completes the command', async () => {
    registry.failNextValidations = 3;
    registry.validations = 0;
    const commandId = await submit({ teamName: 'Owls' });
    expect(await terminal(commandId)).toMatchObject({ status: 'Completed' });
    expect(registry.validations).toBe(4);
    expect(sent(commandId, 'validate').map((m) => m.message_id)).toEqual(retryMessageIds(commandId, 'validate', 4));
  });

  it('ends a command whose validate step always throws Failed after the last delivery, and says why', async () => {
    registry.failNextValidations = Infinity;
    const commandId = await submit({ teamName: 'Larks' });
    expect(await terminal(commandId)).toMatchObject({
      status: 'Failed',
      failure: { step: 'validate', code: 'registry_down', attempts: 4 },
    });
    registry.failNextValidations = 0;
  });

  it('backs off a transiently failing execute step through scheduled messages (0.1, 0.2, 0.4 s), then gives up', async () => {
    const commandId = await submit({ teamName: 'Swifts', outcome: 'transient' });
    expect(await terminal(commandId)).toMatchObject({ status: 'Failed', failure: { step: 'execute', code: 'registry_busy', attempts: 4 } });
    const retries = sent(commandId, 'execute');
    expect(retries.map((m) => m.message_id)).toEqual(retryMessageIds(commandId, 'execute', 4));
    expectBackOff(retries.map((m) => m.delay), retryPolicy, 50);
  });
});
