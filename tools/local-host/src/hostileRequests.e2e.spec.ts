import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { workflowEventCodec, type EventEnvelope } from '@commandflow/events';
import { commandState, isTerminalStatus } from '@commandflow/projections';
import { eventually } from '@commandflow/testing';
import { brokenPromise, httpClient, seededRandom, sendRaw, type Random, type Reply, type RequestSpec } from './hostileClient.fixture';
import { localApps } from './localApps';
import { startLocalHost, type RunningHost } from './localHost';

/**
 * Hostile callers against the local host, started in this process on port 0 with a temporary
 * SQLite file: a seeded fuzz run of at least 10,000 requests (paths, headers, bodies, nesting,
 * unicode, sizes, the Event Grid webhook, and bytes Node's own parser refuses), then a case for
 * each defect found before. No answer may be a 5xx; every 4xx carries the API's JSON error; every
 * stream stays well-formed and every accepted command ends.
 */
jest.setTimeout(180_000);

const seed = Number(process.env['FUZZ_SEED'] ?? 20261201);
let host: RunningHost;
let dir: string;
let port: number;
let client: ReturnType<typeof httpClient>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'commandflow-hostile-'));
  // As behind App Service authentication, so that a principal names the caller (and scopes its idempotency keys).
  const env = { ...process.env, COMMANDFLOW_DATABASE: path.join(dir, 'hostile.db'), COMMANDFLOW_APP_SERVICE_AUTH: 'true' };
  host = await startLocalHost({ apps: localApps, env, port: 0, log: () => undefined });
  port = Number(new URL(host.url ?? '').port);
  client = httpClient(port);
});

afterAll(async () => {
  client?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const json = { 'content-type': 'application/json' };
const commandTypes = ['create-league', 'set-league-email', 'invite-league-member'];

async function call(spec: RequestSpec): Promise<Reply & { body: Record<string, unknown> }> {
  const reply = await client.send(spec);
  if (reply === 'not-sent') throw new Error(`Node would not send ${spec.method} ${spec.path}`);
  let body: Record<string, unknown> = {};
  try {
    body = reply.text ? (JSON.parse(reply.text) as Record<string, unknown>) : {};
  } catch {
    // asserted by the caller
  }
  return { ...reply, body };
}

const submit = (commandType: string, parameters: unknown, headers: Record<string, string> = {}) =>
  call({ method: 'POST', path: `/api/commands/${commandType}`, headers: { ...json, ...headers }, body: JSON.stringify({ parameters }) });
const webhook = (events: unknown, headers: Record<string, string> = {}) =>
  call({ method: 'POST', path: '/runtime/webhooks/eventgrid?functionName=submitFromEventGrid', headers: { ...json, ...headers }, body: JSON.stringify(events) });
const errorCode = (reply: { body: Record<string, unknown> }) => (reply.body['error'] as { code?: string } | undefined)?.code;
const nestedText = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** Every stream in the file, decoded (a command stream that does not decode fails the test) and checked for contiguous versions. */
function readStreams(): Map<string, EventEnvelope[]> {
  const db = new Database(path.join(dir, 'hostile.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT stream_id, version, event FROM events ORDER BY stream_id, version').all() as { stream_id: string; version: number; event: string }[];
    const streams = new Map<string, EventEnvelope[]>();
    for (const row of rows) {
      const envelope = { ...(JSON.parse(row.event) as object), streamId: row.stream_id, version: row.version } as EventEnvelope;
      const events = streams.get(row.stream_id) ?? [];
      if (envelope.version !== events.length + 1) throw new Error(`${row.stream_id}: version ${envelope.version} after ${events.length}`);
      events.push(envelope);
      streams.set(row.stream_id, events);
    }
    return streams;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The fuzz run
// ---------------------------------------------------------------------------------------------

function randomText(random: Random, maxLength: number): string {
  const alphabets = [
    'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    '.-_~!$&\'()*+,;=:@/?#[]%"\\{}<>^`|',
    'éüßøłžçñ日本語中文한국어العربيةעברית',
    '😀🏳️‍🌈👩‍👩‍👧‍👦\u0301\u200d\u202e\ufeff',
    '\u0000\u0001\u001f\u007f\u2028\u2029\ud800\udfff',
  ];
  const length = random.int(maxLength + 1);
  let text = '';
  for (let n = 0; n < length; n++) text += random.pick([...random.pick(alphabets)]);
  return text;
}

function randomJson(random: Random, depth: number): unknown {
  const kind = random.int(depth > 4 ? 5 : 8);
  switch (kind) {
    case 0:
      return random.pick([0, -0, 1, -1, 3.14, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2, 42]);
    case 1:
    case 2:
      return randomText(random, 40);
    case 3:
      return random.pick([true, false]);
    case 4:
      return null;
    case 5:
      return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.chance(0.1) ? random.pick(['constructor', 'toString', '']) : randomText(random, 8), randomJson(random, depth + 1)]));
  }
}

function randomParameters(random: Random): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  if (random.chance(0.7)) parameters['leagueName'] = random.chance(0.5) ? `Fuzz ${random.int(1e9)}` : randomText(random, 30);
  if (random.chance(0.5)) parameters['email'] = random.pick([`x${random.int(1e6)}@fuzz.example`, randomText(random, 30), `${'a.'.repeat(200)}@${'.'.repeat(200)}`]);
  if (random.chance(0.3)) parameters['dateIncorporated'] = random.pick(['1999-01-01', '2999-12-31', randomText(random, 12)]);
  for (let n = random.int(4); n > 0; n--) parameters[randomText(random, 12) || 'p'] = randomJson(random, 0);
  return parameters;
}

function randomBody(random: Random): string | Buffer {
  switch (random.int(10)) {
    case 0:
      return JSON.stringify({ parameters: randomParameters(random) }).slice(0, random.int(80));
    case 1:
      return Buffer.from(Array.from({ length: random.int(300) }, () => random.int(256)));
    case 2:
      return JSON.stringify(randomJson(random, 0));
    case 3:
      return `{"parameters":{"deep":${nestedText(random.pick([31, 32, 33, 100, 2_000, 3_000, 50_000]))}}}`;
    case 4:
      return `{"parameters":{"__proto__":{"polluted":true},"leagueName":"Proto ${random.int(1e9)}"}}`;
    case 5:
      return JSON.stringify({ parameters: randomParameters(random), extra: 1 });
    default:
      return JSON.stringify({ parameters: randomParameters(random) });
  }
}

function randomHeaders(random: Random): Record<string, string> {
  const headers: Record<string, string> = {};
  headers['content-type'] = random.pick(['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'text/plain', 'application/jsonx', '', 'application/' + '+'.repeat(500) + 'json']);
  if (random.chance(0.3)) headers['idempotency-key'] = random.pick([`k-${random.int(20)}`, encodeURIComponent(randomText(random, 250)), 'x'.repeat(201)]);
  if (random.chance(0.15)) {
    headers['x-ms-client-principal'] = random.pick([
      Buffer.from(JSON.stringify({ userDetails: `fuzzer-${random.int(3)}` })).toString('base64'),
      Buffer.from(JSON.stringify({ userId: randomText(random, 20) })).toString('base64'),
      'not base64 json',
      Buffer.from(nestedText(5_000)).toString('base64'),
    ]);
  }
  if (random.chance(0.1)) headers['traceparent'] = random.pick(['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'garbage', '00-' + 'z'.repeat(32) + '-' + '0'.repeat(16) + '-01']);
  if (random.chance(0.1)) headers['x-correlation-id'] = random.pick(['', 'c'.repeat(300), encodeURIComponent(randomText(random, 20))]);
  return headers;
}

function randomSegment(random: Random): string {
  return random.pick([
    encodeURIComponent(randomText(random, 20)),
    random.pick(['%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%00', '%2F', '..', '.', '%2e%2e']),
    '00000000-0000-4000-8000-' + String(random.int(1e12)).padStart(12, '0'),
    'x'.repeat(random.pick([1, 100, 101, 5_000])),
    randomText(random, 10).replace(/[^\x21-\x7e]/g, 'a').replace(/[?#/]/g, 'b'),
  ]);
}

function randomPath(random: Random): string {
  const query = random.chance(0.3)
    ? `?${random.pick(['status', 'limit', 'commandType', 'continuation', 'asOf', 'asOfVersion', '%zz'])}=${random.pick([encodeURIComponent(randomText(random, 20)), '%', '-1', '1e3', '100', 'Completed', 'eyJhIjoxfQ.c2ln'])}`
    : '';
  return (
    random.pick([
      () => `/api/commands/${randomSegment(random)}`,
      () => `/api/commands/${randomSegment(random)}/events`,
      () => '/api/commands',
      () => '/api/command-types',
      () => `/api/${randomSegment(random)}`,
      () => `/${randomSegment(random)}`,
      () => `/runtime/webhooks/eventgrid?functionName=${randomSegment(random)}`,
    ])() + query
  );
}

function randomEvent(random: Random): unknown {
  return random.pick([
    () => ({ id: `eg-${random.int(50)}`, eventType: `commandflow.command.${random.pick(commandTypes)}`, data: { parameters: randomParameters(random) } }),
    () => ({ id: `eg-${random.int(1e9)}`, topic: random.pick(['t1', 't2']), eventType: 'commandflow.command.create-league', data: { parameters: { leagueName: `Grid ${random.int(1e9)}` } } }),
    () => ({ id: 'v', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: { validationCode: randomText(random, 10) } }),
    () => ({ id: `eg-${random.int(1e6)}`, eventType: 'commandflow.command.launch-rocket', data: {} }),
    () => randomJson(random, 0),
    () => ({ id: 'deep', eventType: 'commandflow.command.create-league', data: { parameters: { deep: JSON.parse(nestedText(random.pick([20, 40]))) } } }),
  ])();
}

function randomRequest(random: Random): RequestSpec {
  const roll = random.int(100);
  if (roll < 40) {
    return { method: 'POST', path: `/api/commands/${random.chance(0.85) ? random.pick(commandTypes) : randomSegment(random)}`, headers: randomHeaders(random), body: randomBody(random) };
  }
  if (roll < 75) {
    const method = random.pick(['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
    return { method, path: randomPath(random), headers: random.chance(0.2) ? randomHeaders(random) : {}, ...(method === 'POST' ? { body: randomBody(random) } : {}) };
  }
  if (roll < 92) {
    const batch = Array.from({ length: 1 + random.int(4) }, () => randomEvent(random));
    const body = random.chance(0.1) ? randomBody(random) : JSON.stringify(random.chance(0.2) ? batch[0] : batch);
    const headers: Record<string, string> = { ...json, ...(random.chance(0.2) ? { 'aeg-event-type': random.pick(['SubscriptionValidation', 'Notification', 'x']) } : {}) };
    return { method: random.chance(0.95) ? 'POST' : 'GET', path: '/runtime/webhooks/eventgrid?functionName=submitFromEventGrid', headers, body };
  }
  if (roll < 93) {
    // Sizes around the limits: the body's 256 KiB, the 128 KiB parameter, the 64 Ki-character string.
    const size = random.pick([60_000, 66_000, 130_000, 200_000, 262_000, 262_144, 262_200, 300_000]);
    const parts = random.pick([1, 2, 4, 8]);
    const parameters = Object.fromEntries(Array.from({ length: parts }, (_, n) => [`p${n}`, 'é'.repeat(Math.floor(size / parts / 2) - 10)]));
    return { method: 'POST', path: '/api/commands/create-league', headers: json, body: JSON.stringify({ parameters }) };
  }
  return { method: 'POST', path: `/api/commands/${random.pick(commandTypes)}`, headers: { ...json, 'idempotency-key': `shared-${random.int(5)}` }, body: randomBody(random) };
}

/** Requests Node's own parser refuses, and Host headers the host must not trust. */
function rawRequests(random: Random): string[] {
  const get = (line: string, headers = 'Host: 127.0.0.1\r\n') => `${line}\r\n${headers}Connection: close\r\n\r\n`;
  const fixed = [
    get('FOO /api/command-types HTTP/1.1'),
    get('get /api/command-types HTTP/1.1'),
    get('GET /api/command-types HTTP/1.1', 'Host: 127.0.0.1\r\nX-Nul: a\u0000b\r\n'),
    `POST /api/commands/create-league HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`,
    get(`GET /api/commands/${'a'.repeat(100_000)} HTTP/1.1`),
    get('GET /api/command-types HTTP/1.1', `X-Big: ${'b'.repeat(20_000)}\r\n`),
    get('GET /api/command-types HTTP/9.9'),
    get('GET * HTTP/1.1'),
    get('GET http://evil.example/api/command-types HTTP/1.1'),
    get('GET //evil/api/command-types HTTP/1.1'),
    get('GET /api/command-types HTTP/1.1', ''),
    'garbage\r\n\r\n',
    `POST /api/commands/create-league HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n`,
  ];
  const hosts = ['a b', '', '%zz', '[', '127.0.0.1:99999', '[::1', 'x'.repeat(5_000), 'ä', '@', ':', '127.0.0.1:-1'];
  const hostCases = hosts.flatMap((hostHeader) => [
    get('GET /api/command-types HTTP/1.1', `Host: ${hostHeader}\r\n`),
    get('GET /api/commands/%zz HTTP/1.1', `Host: ${hostHeader}\r\n`),
    `POST /api/commands/create-league HTTP/1.1\r\nHost: ${hostHeader}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
  ]);
  const randomLines = Array.from({ length: 60 }, () => get(`${random.pick(['GET', 'POST', 'BREW', 'G\tET'])} /${randomText(random, 30)} HTTP/1.1`));
  return [...fixed, ...hostCases, ...randomLines];
}

describe('hostile requests', () => {
  it(`a seeded fuzz run of 10,000+ requests (seed ${seed}) gets no 5xx, only JSON errors, and leaves every stream well-formed and ended`, async () => {
    const random = seededRandom(seed);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const note = (label: string, reply: Reply, method?: string) => {
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const broken = brokenPromise(reply, method);
      if (broken && failures.length < 50) failures.push(`${label}: ${broken}`);
    };
    let sent = 0;
    for (const raw of rawRequests(random)) {
      note(`raw ${JSON.stringify(raw.slice(0, 80))}`, await sendRaw(port, raw));
      sent++;
    }
    const concurrency = 8;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < 10_000) {
          const spec = randomRequest(random);
          sent++;
          const reply = await client.send(spec);
          if (reply === 'not-sent') sent--;
          else note(`${spec.method} ${spec.path.slice(0, 120)} ${String(spec.body ?? '').slice(0, 80)}`, reply, spec.method);
        }
      }),
    );
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect([...statuses.keys()].filter((status) => status >= 200 && status < 300).length).toBeGreaterThan(0);

    const ended = await eventually(
      async () => {
        const commands = [...readStreams()].filter(([streamId]) => streamId.startsWith('command-'));
        return commands.map(([streamId, events]) => [streamId, commandState(workflowEventCodec.decodeAll(events)).status] as const);
      },
      (states) => states.every(([, status]) => isTerminalStatus(status)),
      60_000,
    );
    expect(ended.length).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------
// One case for each defect found before
// ---------------------------------------------------------------------------------------------

describe('regressions', () => {
  it.each([
    ['GET', '/api/commands/%E0%A4%A'],
    ['GET', '/api/commands/%zz'],
    ['POST', '/api/commands/%'],
    ['GET', '/api/commands/%zz/events'],
  ])('%s %s (a malformed %%-escape) → 400 malformed_path', async (method, route) => {
    const reply = await call({ method, path: route, headers: json, body: method === 'POST' ? '{}' : undefined });
    expect([reply.status, errorCode(reply)]).toEqual([400, 'malformed_path']);
  });

  it.each(['a b', '', '%zz', '[', '127.0.0.1:99999'])('Host: %j is never trusted: the request is served', async (hostHeader) => {
    const reply = await sendRaw(port, `GET /api/command-types HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toHaveProperty('commandTypes');
  });

  it.each([
    ['method FOO', 'FOO /api/command-types HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['method get', 'get /api/command-types HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a NUL in a header', 'GET /api/command-types HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n', 400],
    ['Content-Length with Transfer-Encoding', 'POST /api/commands/create-league HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['a 100 KB URL', `GET /api/commands/${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
  ])('%s: Node refuses it, and the answer is the JSON error', async (_name, raw, status) => {
    const reply = await sendRaw(port, raw);
    expect(reply.status).toBe(status);
    expect(brokenPromise(reply)).toBeUndefined();
  });

  it('nesting 1,800–3,000 deep is refused before parsing (submit and webhook), and nothing it wrote can break a read later', async () => {
    for (const depth of [33, 1_800, 3_000]) {
      const submitted = await call({ method: 'POST', path: '/api/commands/create-league', headers: json, body: `{"parameters":{"leagueName":"Deep","x":${nestedText(depth)}}}` });
      expect([submitted.status, errorCode(submitted)]).toEqual([400, 'nesting_too_deep']);
      const event = `[{"id":"deep-${depth}","eventType":"commandflow.command.create-league","data":{"parameters":{"x":${nestedText(depth)}}}}]`;
      const delivered = await call({ method: 'POST', path: '/runtime/webhooks/eventgrid?functionName=submitFromEventGrid', headers: json, body: event });
      expect([delivered.status, errorCode(delivered)]).toEqual([400, 'nesting_too_deep']);
    }
    const accepted = await submit('create-league', { leagueName: `Nested ${Date.now()}`, x: JSON.parse(nestedText(29)) });
    expect(accepted.status).toBe(202);
    await eventually(
      () => call({ method: 'GET', path: `/api/commands/${String(accepted.body['commandId'])}` }),
      (reply) => reply.status === 200 && isTerminalStatus(reply.body['status'] as never),
    );
  });

  it('1,000 parameters are accepted and the command ends; 1,001 are refused (too_many_parameters)', async () => {
    const parameters = Object.fromEntries([['leagueName', `Wide ${Date.now()}`], ...Array.from({ length: 999 }, (_, n) => [`p${n}`, n])]);
    const accepted = await submit('create-league', parameters);
    expect(accepted.status).toBe(202);
    const ended = await eventually(
      () => call({ method: 'GET', path: `/api/commands/${String(accepted.body['commandId'])}` }),
      (reply) => isTerminalStatus(reply.body['status'] as never),
    );
    expect(Object.keys(ended.body['parameters'] as object)).toHaveLength(1_000);
    const refused = await submit('create-league', { ...parameters, one: 'too many' });
    expect([refused.status, errorCode(refused)]).toEqual([400, 'too_many_parameters']);
  });

  it('a crafted email address gets its answer at once: too long is refused, a shorter one is validated (a warning)', async () => {
    const tooLong = await submit('create-league', { leagueName: 'Mail', email: `a@${'.'.repeat(250_000)}@` });
    expect([tooLong.status, errorCode(tooLong)]).toEqual([413, 'string_too_long']);
    const crafted = await submit('create-league', { leagueName: `Mail ${Date.now()}`, email: `${'a.'.repeat(30_000)}@` });
    expect(crafted.status).toBe(202);
    const ended = await eventually(
      () => call({ method: 'GET', path: `/api/commands/${String(crafted.body['commandId'])}` }),
      (reply) => isTerminalStatus(reply.body['status'] as never),
    );
    expect(ended.body).toMatchObject({ status: 'Completed', warnings: [{ rule: 'email-format' }] });
  });

  it('a body for a path no function serves is not read; one over the limit is refused while reading', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 'x');
    const unknown = await call({ method: 'POST', path: '/api/nothing-here', headers: json, body: big });
    expect([unknown.status, errorCode(unknown)]).toEqual([404, 'not_found']);
    const declared = await call({ method: 'POST', path: '/api/commands/create-league', headers: json, body: big });
    expect([declared.status, errorCode(declared)]).toEqual([413, 'payload_too_large']);
    const chunked = await sendRaw(
      port,
      `POST /api/commands/create-league HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${(300_000).toString(16)}\r\n${'y'.repeat(300_000)}\r\n0\r\n\r\n`,
    );
    expect([chunked.status, JSON.parse(chunked.text).error.code]).toEqual([413, 'payload_too_large']);
  });

  it('idempotency keys are scoped to the caller and the source; a different body → 422, the same body → 200', async () => {
    const key = `shared-key-${Date.now()}`;
    const principal = (user: string) => ({ 'x-ms-client-principal': Buffer.from(JSON.stringify({ userDetails: user })).toString('base64') });
    const parameters = { leagueName: `Keyed ${key}` };
    const ada = await submit('create-league', parameters, { 'idempotency-key': key, ...principal('ada') });
    const mallory = await submit('create-league', parameters, { 'idempotency-key': key, ...principal('mallory') });
    expect([ada.status, mallory.status]).toEqual([202, 202]);
    expect(mallory.body['commandId']).not.toBe(ada.body['commandId']);
    const again = await submit('create-league', { ...parameters }, { 'idempotency-key': key, ...principal('ada') });
    expect([again.status, again.body['commandId']]).toEqual([200, ada.body['commandId']]);
    const changed = await submit('create-league', { leagueName: 'Something else' }, { 'idempotency-key': key, ...principal('ada') });
    expect([changed.status, errorCode(changed)]).toEqual([422, 'idempotency_key_reused']);
    const grid = await webhook([{ id: key, eventType: 'commandflow.command.create-league', data: { parameters } }]);
    expect(grid.status).toBe(202);
    const listed = await eventually(
      () => call({ method: 'GET', path: '/api/commands?limit=100' }),
      (reply) => (reply.body['items'] as { idempotencyKey?: string }[]).filter((item) => item.idempotencyKey === key).length === 3,
    );
    const sources = (listed.body['items'] as { idempotencyKey?: string; source: string }[]).filter((i) => i.idempotencyKey === key).map((i) => i.source);
    expect(sources.sort()).toEqual(['eventgrid', 'http', 'http']);
  });

  it('an Event Grid batch: each event accepted or rejected on its own; the handshake only for a validation request', async () => {
    const stamp = Date.now();
    const good = (n: number) => ({ id: `batch-${stamp}-${n}`, eventType: 'commandflow.command.create-league', data: { parameters: { leagueName: `Batch ${stamp} ${n}` } } });
    const validation = { id: 'v', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: { validationCode: 'code-1' } };
    const mixed = await webhook([good(1), validation, { id: 'bad', eventType: 'commandflow.command.launch-rocket', data: {} }, good(2)]);
    expect(mixed.status).toBe(400);
    expect(mixed.body['error']).toMatchObject({
      code: 'events_rejected',
      details: {
        results: [
          { id: good(1).id, status: 'accepted' },
          { id: 'v', status: 'rejected', error: { code: 'invalid_event' } },
          { id: 'bad', status: 'rejected', error: { code: 'unknown_command_type' } },
          { id: good(2).id, status: 'accepted' },
        ],
      },
    });
    const withHeader = await webhook([good(3)], { 'aeg-event-type': 'SubscriptionValidation' });
    expect([withHeader.status, errorCode(withHeader)]).toEqual([400, 'invalid_validation_request']);
    const handshake = await webhook([validation], { 'aeg-event-type': 'SubscriptionValidation' });
    expect(handshake).toMatchObject({ status: 200, body: { validationResponse: 'code-1' } });
    const accepted = await webhook([good(1), good(2)], { 'aeg-event-type': 'Notification' });
    expect(accepted).toMatchObject({ status: 202, body: { results: [{ status: 'accepted' }, { status: 'accepted' }] } });
  });

  it('continuation tokens are signed and bound to their filter: a tampered or moved token → 400 invalid_continuation', async () => {
    await Promise.all([1, 2, 3].map((n) => submit('create-league', { leagueName: `Paged ${Date.now()} ${n}` })));
    const first = await eventually(
      () => call({ method: 'GET', path: '/api/commands?limit=1' }),
      (reply) => typeof reply.body['continuation'] === 'string',
    );
    const token = String(first.body['continuation']);
    const next = await call({ method: 'GET', path: `/api/commands?limit=1&continuation=${encodeURIComponent(token)}` });
    expect(next.status).toBe(200);
    const [payload, signature] = token.split('.') as [string, string];
    const forged = `${Buffer.from('{"offset":0}').toString('base64url')}.${signature}`;
    for (const bad of [forged, `${payload}.${signature.slice(1)}A`, payload, 'x'.repeat(5_000), '%zz']) {
      const reply = await call({ method: 'GET', path: `/api/commands?limit=1&continuation=${encodeURIComponent(bad)}` });
      expect([reply.status, errorCode(reply)]).toEqual([400, 'invalid_continuation']);
    }
    const moved = await call({ method: 'GET', path: `/api/commands?limit=1&status=Completed&continuation=${encodeURIComponent(token)}` });
    expect([moved.status, errorCode(moved)]).toEqual([400, 'invalid_continuation']);
  });

  it('a __proto__ parameter is refused with 400 reserved_key, never dropped', async () => {
    const reply = await call({ method: 'POST', path: '/api/commands/create-league', headers: json, body: '{"parameters":{"leagueName":"Proto","__proto__":{"x":1}}}' });
    expect([reply.status, errorCode(reply)]).toEqual([400, 'reserved_key']);
    const nested = await call({ method: 'POST', path: '/api/commands/create-league', headers: json, body: '{"parameters":{"leagueName":{"__proto__":1}}}' });
    expect([nested.status, errorCode(nested)]).toEqual([400, 'reserved_key']);
  });

  it.each([255.6, 255.8, 256, 256.2])('a body of %d KiB is accepted or refused with 413, never 400 event_too_large', async (kib) => {
    for (const parts of [1, 2, 4, 8]) {
      const body = (filler: number) => JSON.stringify({ parameters: Object.fromEntries(Array.from({ length: parts }, (_, n) => [`p${n}`, 'x'.repeat(filler)])) });
      const overhead = body(0).length;
      const text = body(Math.floor((kib * 1024 - overhead) / parts));
      const reply = await call({ method: 'POST', path: '/api/commands/create-league', headers: json, body: text });
      expect(reply.status === 202 || reply.status === 413).toBe(true);
      expect(errorCode(reply)).not.toBe('event_too_large');
    }
  });
});
