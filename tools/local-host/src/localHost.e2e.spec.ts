import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import path from 'node:path';
import { bundleHost, eventually, startHostProcess, type HostProcess } from '@commandflow/testing';
import { runDemo } from './demo';

jest.setTimeout(60_000);

const bundle = bundleHost();
afterAll(() => bundle.cleanup());

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

describe.each([
  ['in one process', true],
  ['in one process per app', false],
])('the local host over HTTP, %s', (_mode, singleProcess) => {
  let host: HostProcess;
  let databasePath: string;
  let run = 0;

  beforeAll(async () => {
    databasePath = path.join(bundle.dir, `e2e-${singleProcess ? 'single' : 'multi'}.db`);
    host = await startHostProcess(bundle.script, { singleProcess, env: { COMMANDFLOW_DATABASE: databasePath } });
  });
  afterAll(() => host.stop());

  const call = async (method: string, route: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const response = await fetch(`${host.url}${route}`, { method, body: init.body, headers: init.headers });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
  };
  const submit = (commandType: string, parameters: unknown, headers: Record<string, string> = {}) =>
    call('POST', `/api/commands/${commandType}`, {
      body: JSON.stringify({ parameters }),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const terminal = (commandId: string) =>
    eventually(
      () => call('GET', `/api/commands/${commandId}`),
      (reply) => ['Completed', 'Invalid', 'Failed'].includes(String(reply.body['status'])),
    ).then((reply) => reply.body);
  const league = (name: string) => `${name} ${singleProcess ? 'S' : 'M'}${++run}`;

  it('valid → Completed (202, Location, links)', async () => {
    const reply = await submit('create-league', { leagueName: league('Leeds Lions'), email: 'hi@lions.example' });
    expect(reply.status).toBe(202);
    const commandId = String(reply.body['commandId']);
    expect(reply.headers.get('location')).toBe(`/api/commands/${commandId}`);
    expect(reply.body).toEqual({
      commandId,
      status: 'Created',
      links: { self: `/api/commands/${commandId}`, events: `/api/commands/${commandId}/events` },
    });
    expect(await terminal(commandId)).toMatchObject({ status: 'Completed', actor: 'anonymous', source: 'http' });
    const events = await call('GET', `/api/commands/${commandId}/events`);
    expect((events.body['events'] as { type: string; version: number }[]).map((e) => [e.version, e.type])).toEqual([
      [1, 'CommandCreated'],
      [2, 'ParameterSet'],
      [3, 'ParameterSet'],
      [4, 'ValidationSucceeded'],
      [5, 'CommandCompleted'],
    ]);
  });

  it('fatal → Invalid; warning-only → Completed with warnings; execute failure → Failed', async () => {
    const invalid = await submit('create-league', { leagueName: '' });
    const warned = await submit('create-league', { leagueName: league('Future FC'), dateIncorporated: '2999-12-31' });
    const name = league('Owls');
    await terminal(String((await submit('create-league', { leagueName: name })).body['commandId']));
    const failing = await submit('invite-league-member', { leagueName: name, email: 'ghost@nowhere.invalid' });
    expect(await terminal(String(invalid.body['commandId']))).toMatchObject({ status: 'Invalid', errors: [{ rule: 'league-name-required' }] });
    expect(await terminal(String(warned.body['commandId']))).toMatchObject({ status: 'Completed', warnings: [{ rule: 'date-not-in-future' }] });
    expect(await terminal(String(failing.body['commandId']))).toMatchObject({ status: 'Failed', failure: { code: 'undeliverable_address' } });
  });

  it('the same Idempotency-Key, type and body again → 200 with the existing command, nothing new; another body → 422', async () => {
    const key = { 'idempotency-key': `key-${singleProcess}-${Date.now()}` };
    const leagueName = league('Keyed');
    const first = await submit('create-league', { leagueName }, key);
    const again = await submit('create-league', { leagueName }, key);
    const changed = await submit('create-league', { leagueName: 'something else' }, key);
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body['commandId']).toBe(first.body['commandId']);
    expect(changed).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
    const events = await call('GET', `/api/commands/${String(first.body['commandId'])}/events`);
    expect((events.body['events'] as { type: string }[]).filter((e) => e.type === 'CommandCreated')).toHaveLength(1);
  });

  it('answers as-of queries by version and by instant', async () => {
    const { body } = await submit('create-league', { leagueName: league('History') });
    const commandId = String(body['commandId']);
    const final = await terminal(commandId);
    expect((await call('GET', `/api/commands/${commandId}?asOfVersion=2`)).body).toMatchObject({ status: 'Created', version: 2 });
    expect((await call('GET', `/api/commands/${commandId}?asOfVersion=3`)).body).toMatchObject({ status: 'Validated', version: 3 });
    expect((await call('GET', `/api/commands/${commandId}?asOf=${String(final['createdAt'])}`)).body).toMatchObject({ status: 'Created' });
    expect((await call('GET', `/api/commands/${commandId}?asOfVersion=two`)).status).toBe(400);
    expect((await call('GET', `/api/commands/${commandId}?asOf=yesterday`)).status).toBe(400);
    expect((await call('GET', '/api/commands/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('lists every command from the read model, newest first, filtered and paged', async () => {
    const submitted = await Promise.all([1, 2, 3].map((n) => submit('create-league', { leagueName: league(`Listed ${n}`) })));
    const ids = submitted.map((r) => String(r.body['commandId']));
    await Promise.all(ids.map(terminal));
    const listed = await eventually(
      () => call('GET', '/api/commands?limit=100'),
      (reply) => ids.every((id) => (reply.body['items'] as { commandId: string; status: string }[]).some((i) => i.commandId === id && i.status === 'Completed')),
    );
    const items = listed.body['items'] as { createdAt: string }[];
    expect(items.map((i) => i.createdAt)).toEqual([...items.map((i) => i.createdAt)].sort().reverse());
    const invalidOnly = await call('GET', '/api/commands?status=Invalid');
    expect((invalidOnly.body['items'] as { status: string }[]).every((i) => i.status === 'Invalid')).toBe(true);
    const firstPage = await call('GET', '/api/commands?limit=2');
    expect(firstPage.body['items']).toHaveLength(2);
    const secondPage = await call('GET', `/api/commands?limit=2&continuation=${encodeURIComponent(String(firstPage.body['continuation']))}`);
    expect((secondPage.body['items'] as { commandId: string }[])[0]?.commandId).not.toBe((firstPage.body['items'] as { commandId: string }[])[1]?.commandId);
    expect((await call('GET', '/api/commands?status=Sleeping')).status).toBe(400);
  });

  it('carries the correlation id and traceparent from the request through events and messages into every log line', async () => {
    const traceId = `${singleProcess ? 'a' : 'b'}${'0123456789abcdef'.repeat(2).slice(1)}`;
    const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
    const reply = await submit('create-league', { leagueName: league('Traced') }, { traceparent, 'x-correlation-id': `corr-${traceId}` });
    const commandId = String(reply.body['commandId']);
    expect(reply.headers.get('traceparent')).toBe(traceparent);
    await terminal(commandId);
    const { body } = await call('GET', `/api/commands/${commandId}/events`);
    const events = body['events'] as { type: string; metadata: { traceparent?: string; correlationId: string } }[];
    expect(events.map((e) => [e.type, e.metadata.traceparent, e.metadata.correlationId])).toEqual(
      ['CommandCreated', 'ParameterSet', 'ValidationSucceeded', 'CommandCompleted'].map((type) => [type, traceparent, `corr-${traceId}`]),
    );
    const lines = await eventually(
      async () => host.output().split('\n').filter((line) => line.includes(commandId) && !line.includes('getCommand')),
      (found) => found.length >= 3,
    );
    for (const fn of ['submitCommand', 'validateCommand', 'executeCommand']) {
      expect(lines.find((line) => line.includes(fn))).toMatch(new RegExp(`Succeeded .*correlation=corr-${traceId} trace=${traceId}`));
    }
  });

  it('runs the demo, again and again, with each sample reaching its own ending', async () => {
    for (let round = 0; round < 2; round++) {
      const lines: string[] = [];
      await runDemo(host.url, (line) => lines.push(line));
      expect(lines.filter((line) => line.includes(' → ')).map((line) => line.replace(/^\n/, '').split(' ')[0] + ' ' + line.split(' → ')[1]?.split(' ')[0])).toEqual([
        'valid: Completed',
        'invalid Invalid',
        'warning-only: Completed',
        'failing: Failed',
      ]);
    }
  });

  it('describes the command types', async () => {
    const { status, body } = await call('GET', '/api/command-types');
    expect(status).toBe(200);
    expect((body['commandTypes'] as { type: string }[]).map((t) => t.type)).toEqual(['create-league', 'set-league-email', 'invite-league-member']);
  });

  it('rejects bad requests with a clear error and writes nothing', async () => {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    const countEvents = () => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const before = countEvents();
    const json = { 'content-type': 'application/json' };
    const cases: [Promise<Reply>, number, string][] = [
      [call('POST', '/api/commands/create-league', { body: '{"parameters": {', headers: json }), 400, 'malformed_json'],
      [call('POST', '/api/commands/create-league', { body: '{"params": {}}', headers: json }), 400, 'invalid_body'],
      [call('POST', '/api/commands/create-league', { body: '{"parameters": [1]}', headers: json }), 400, 'invalid_body'],
      [call('POST', '/api/commands/launch-rocket', { body: '{"parameters": {}}', headers: json }), 404, 'unknown_command_type'],
      [call('POST', '/api/commands/create-league', { body: JSON.stringify({ parameters: { x: 'y'.repeat(300_000) } }), headers: json }), 413, 'payload_too_large'],
      [call('POST', '/api/commands/create-league', { body: 'leagueName=Owls', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
    ];
    for (const [reply, status, code] of cases) {
      const { status: actual, body } = await reply;
      expect([actual, (body['error'] as { code: string }).code]).toEqual([status, code]);
      expect((body['error'] as { message: string }).message.length).toBeGreaterThan(10);
    }
    const [unknownType] = cases[3] ?? [];
    expect(((await unknownType)?.body['error'] as { message: string }).message).toContain('create-league');
    expect(countEvents()).toBe(before);
    db.close();
  });

  it('records no claimed name: without App Service authentication x-ms-client-principal is ignored', async () => {
    const principal = Buffer.from(JSON.stringify({ userId: 'u-1', userDetails: 'ada@example.com' })).toString('base64');
    const { body } = await submit('create-league', { leagueName: league('Claimed') }, { 'x-ms-client-principal': principal });
    expect(await terminal(String(body['commandId']))).toMatchObject({ actor: 'anonymous' });
  });

  it('takes Event Grid events on the local webhook: handshake, then the event id as idempotency key', async () => {
    const webhook = (events: unknown) =>
      call('POST', '/runtime/webhooks/eventgrid?functionName=submitFromEventGrid', { body: JSON.stringify(events), headers: { 'content-type': 'application/json' } });
    const handshake = await webhook([{ id: 'v1', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: { validationCode: 'abc-123' } }]);
    expect(handshake).toMatchObject({ status: 200, body: { validationResponse: 'abc-123' } });
    const event = { id: `eg-${singleProcess}-${Date.now()}`, eventType: 'commandflow.command.create-league', subject: 'leagues', data: { parameters: { leagueName: league('Gridded') } }, eventTime: new Date().toISOString(), dataVersion: '1' };
    expect((await webhook([event])).status).toBe(202);
    expect((await webhook([event])).status).toBe(202);
    const listed = await eventually(
      () => call('GET', '/api/commands?limit=100'),
      (reply) => (reply.body['items'] as { idempotencyKey?: string; status: string }[]).some((i) => i.idempotencyKey === event.id && i.status === 'Completed'),
    );
    const matching = (listed.body['items'] as { idempotencyKey?: string; source: string }[]).filter((i) => i.idempotencyKey === event.id);
    expect(matching).toEqual([expect.objectContaining({ source: 'eventgrid' })]);
    expect((await webhook([{ id: 'x', eventType: 'commandflow.command.launch-rocket', data: {} }])).status).toBe(400);
  });
});

it('stops at start-up with a message naming a bad setting', async () => {
  const child = fork(bundle.script, ['--single-process', '--port', '0'], {
    env: { ...process.env, COMMANDFLOW_DATABASE: path.join(bundle.dir, 'bad.db'), MAX_DELIVERY_COUNT: 'lots' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(output).toContain('Setting MAX_DELIVERY_COUNT must be a whole number from 1 to 2000');
});
