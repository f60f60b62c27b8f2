import { SqliteQueue, openCommandflowDatabase } from '@commandflow/sqlite';
import path from 'node:path';
import { bundleHost, eventually, startHostProcess } from '@commandflow/testing';

jest.setTimeout(60_000);

const bundle = bundleHost();
afterAll(() => bundle.cleanup());

it('dead-letters a queue message that is not a command id, with the reason, at its first delivery, disturbing nothing else', async () => {
  const databasePath = path.join(bundle.dir, 'poison.db');
  const host = await startHostProcess(bundle.script, {
    singleProcess: true,
    env: { COMMANDFLOW_DATABASE: databasePath, MAX_DELIVERY_COUNT: '3' },
  });
  const db = openCommandflowDatabase({ path: databasePath });
  const queue = new SqliteQueue(db, { settings: { maxDeliveryCount: 3 } });
  try {
    await queue.send('validate', { messageId: 'poison-object', body: { nope: true } });
    await queue.send('execute', { messageId: 'poison-unknown-command', body: { commandId: '00000000-0000-4000-8000-00000000dead' } });
    const submitted = await fetch(`${host.url}/api/commands/create-league`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parameters: { leagueName: 'Unbothered United' } }),
    });
    const { commandId } = (await submitted.json()) as { commandId: string };

    const [validateDead] = await eventually(() => queue.list('validate'), (letters) => letters.length === 1);
    expect(validateDead).toMatchObject({
      messageId: 'poison-object',
      deliveryCount: 1,
      reason: 'invalid_step_message',
      description: expect.stringContaining('Not a step message'),
    });
    const [executeDead] = await eventually(() => queue.list('execute'), (letters) => letters.length === 1);
    expect(executeDead).toMatchObject({ reason: 'command_not_found', description: expect.stringContaining('No command with this id') });

    const state = await eventually(
      async () => (await (await fetch(`${host.url}/api/commands/${commandId}`)).json()) as { status: string },
      (s) => s.status === 'Completed',
    );
    expect(state.status).toBe('Completed');
    expect(host.output()).toMatch(/validateCommand - Failed \(DeadLetterRequest: invalid_step_message: Not a step message/);
  } finally {
    db.close();
    await host.stop();
  }
});
