import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { commandStreamId } from '@commandflow/events';
import type { HttpFunctionDefinition } from '@commandflow/functions';
import { projectToCommandList } from '@commandflow/workflow';
import { inMemoryIntake } from './inMemoryIntake.fixture';
import { appServiceAuthenticationOn } from './appServiceAuthentication';

const intake = ({ trustClientPrincipal }: { trustClientPrincipal?: boolean } = {}) =>
  inMemoryIntake(() => (trustClientPrincipal === undefined ? {} : { trustClientPrincipal }));

const context = () => new InvocationContext({ functionName: 'test', invocationId: 'i-1' });
const post = (commandType: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new HttpRequest({ method: 'POST', url: `http://localhost/api/commands/${commandType}`, params: { commandType }, headers, body: { string: body } });

describe('the intake app', () => {
  it('describes its functions: HTTP API (never anonymous), the page (anonymous, guarded by its own access check), Event Grid, the incoming queue, the change-feed projector and the sweeper\'s timer', () => {
    const { definitions } = intake();
    expect(definitions.map((d) => [d.kind, d.name])).toEqual([
      ['http', 'submitCommand'],
      ['http', 'listCommands'],
      ['http', 'getCommand'],
      ['http', 'getCommandEvents'],
      ['http', 'getCommandCost'],
      ['http', 'listCommandTypes'],
      ['http', 'countCommands'],
      ['http', 'listDeadLetters'],
      ['http', 'peekDeadLetter'],
      ['http', 'resubmitDeadLetter'],
      ['http', 'listStalledCommands'],
      ['http', 'runSweep'],
      ...[
        'commandListPage',
        'commandTimelinePage',
        'deadLettersPage',
        'pageListCommands',
        'pageCountCommands',
        'pageGetCommand',
        'pageGetCommandEvents',
        'pageListCommandTypes',
        'pageListDeadLetters',
        'pageListStalledCommands',
        'pagePeekDeadLetter',
        'pageResubmitDeadLetter',
      ].map((name) => ['http', name]),
      ['eventGrid', 'submitFromEventGrid'],
      ['serviceBusQueue', 'submitFromIncomingQueue'],
      ['cosmosDBChangeFeed', 'projectCommandList'],
      ['timer', 'sweepStalledCommands'],
    ]);
    const http = definitions.filter((d): d is HttpFunctionDefinition => d.kind === 'http');
    expect(http.filter((d) => !d.options.route.startsWith('ui')).every((d) => d.options.authLevel === 'function')).toBe(true);
    expect(http.filter((d) => d.options.route === 'ui' || d.options.route.startsWith('ui/')).every((d) => d.options.authLevel === 'anonymous')).toBe(true);
  });

  it('submits over HTTP with the same handler the Functions host calls, and rejects bad input without writing', async () => {
    const { http, workflow } = intake();
    const accepted = (await http('submitCommand')(post('create-league', '{"parameters":{"leagueName":"Owls"}}'), context())) as HttpResponseInit;
    expect(accepted.status).toBe(202);
    const { commandId } = accepted.jsonBody as { commandId: string };
    expect((await workflow.state(commandId)).status).toBe('Created');
    const rejected = (await http('submitCommand')(post('create-league', 'nope', { 'content-type': 'text/plain' }), context())) as HttpResponseInit;
    expect(rejected).toMatchObject({ status: 415, jsonBody: { error: { code: 'unsupported_media_type' } } });
    expect(workflow.queues.accepted).toHaveLength(1);
  });

  it('logs a command from an Event Grid event (or the same event through the incoming queue) once per event id', async () => {
    const { byName, workflow } = intake();
    const event = { id: 'evt-1', eventType: 'commandflow.command.create-league', data: { parameters: { leagueName: 'Gridders' } } };
    const eventGrid = byName('submitFromEventGrid');
    const incoming = byName('submitFromIncomingQueue');
    if (eventGrid.kind !== 'eventGrid' || incoming.kind !== 'serviceBusQueue') throw new Error('unexpected kinds');
    await eventGrid.options.handler(event as never, context());
    await incoming.options.handler(JSON.stringify(event), context());
    expect(workflow.queues.accepted).toHaveLength(1);
    await expect(incoming.options.handler('{"not":"an event"}', context())).rejects.toMatchObject({ name: 'DeadLetterRequest', reason: 'invalid_event' });
  });

  it('projects change-feed documents into the command list', async () => {
    const { byName, http, workflow } = intake();
    const { commandId } = await workflow.submit({ commandType: 'create-league', parameters: { leagueName: 'Listed' } });
    await workflow.drain();
    const projector = byName('projectCommandList');
    if (projector.kind !== 'cosmosDBChangeFeed') throw new Error('unexpected kind');
    const documents = (await workflow.eventStore.readStream(commandStreamId(commandId))).events.map((e) => ({ ...e, id: String(e.version).padStart(10, '0'), _rid: 'x' }));
    await projector.options.handler(documents as never, context());
    const listed = (await http('listCommands')(new HttpRequest({ method: 'GET', url: 'http://localhost/api/commands' }), context())) as HttpResponseInit;
    expect(listed.jsonBody).toMatchObject({ items: [{ commandId, status: 'Completed' }], continuation: null });
  });
});

describe('who the actor is', () => {
  const principal = (name: string) => Buffer.from(JSON.stringify({ identityProvider: 'aad', userId: 'u-1', userDetails: name })).toString('base64');
  const json = { 'content-type': 'application/json' };

  async function actorRecordedFor(options: { trustClientPrincipal?: boolean }, headers: Record<string, string>, query = ''): Promise<unknown> {
    const { http, workflow } = intake(options);
    const request = new HttpRequest({
      method: 'POST',
      url: `http://localhost/api/commands/create-league${query}`,
      params: { commandType: 'create-league' },
      headers: { ...json, ...headers },
      body: { string: '{"parameters":{"leagueName":"Actors"}}' },
    });
    const reply = (await http('submitCommand')(request, context())) as HttpResponseInit;
    expect(reply.status).toBe(202);
    const { commandId } = reply.jsonBody as { commandId: string };
    const [created] = (await workflow.eventStore.readStream(commandStreamId(commandId))).events;
    return (created?.data as { actor?: unknown }).actor;
  }

  it('is the App Service principal when App Service authentication guards intake (it sets and protects the header)', async () => {
    expect(await actorRecordedFor({ trustClientPrincipal: true }, { 'x-ms-client-principal': principal('alice@contoso.example') })).toBe('alice@contoso.example');
  });

  it('is never a claimed name without App Service authentication: the key, or anonymous', async () => {
    const claim = { 'x-ms-client-principal': principal('mallory@contoso.example') };
    expect(await actorRecordedFor({}, claim)).toBe('anonymous');
    expect(await actorRecordedFor({ trustClientPrincipal: false }, { ...claim, 'x-functions-key': 'k' })).toBe('function-key');
    expect(await actorRecordedFor({ trustClientPrincipal: false }, claim, '?code=k')).toBe('function-key');
  });

  it('rejects a malformed principal header when it is trusted, writing nothing', async () => {
    const { http, workflow } = intake({ trustClientPrincipal: true });
    const reply = (await http('submitCommand')(post('create-league', '{"parameters":{}}', { ...json, 'x-ms-client-principal': 'not base64 json' }), context())) as HttpResponseInit;
    expect(reply).toMatchObject({ status: 400, jsonBody: { error: { code: 'invalid_client_principal' } } });
    expect(workflow.queues.accepted).toHaveLength(0);
  });

  it('trusts the header only when infra says App Service authentication is on (COMMANDFLOW_APP_SERVICE_AUTH)', () => {
    expect(appServiceAuthenticationOn({})).toBe(false);
    expect(appServiceAuthenticationOn({ COMMANDFLOW_APP_SERVICE_AUTH: 'false' })).toBe(false);
    expect(appServiceAuthenticationOn({ COMMANDFLOW_APP_SERVICE_AUTH: 'true' })).toBe(true);
    expect(() => appServiceAuthenticationOn({ COMMANDFLOW_APP_SERVICE_AUTH: 'yes' })).toThrow(/COMMANDFLOW_APP_SERVICE_AUTH/);
  });
});

describe("intake's sweeper", () => {
  const tenMinutes = 10 * 60_000;

  /** A command whose validate message was lost, its document projected, and the clock past the threshold. */
  async function stalledCommand() {
    const setup = intake();
    const { workflow, services } = setup;
    const { commandId } = await workflow.submit({ commandType: 'create-league', parameters: { leagueName: 'Stuck' } });
    const [lost] = await workflow.queues.receive('validate');
    await workflow.queues.complete(lost!);
    await projectToCommandList(services, (await workflow.eventStore.readStream(commandStreamId(commandId))).events);
    workflow.advanceClock(tenMinutes + 1_000);
    return { ...setup, commandId };
  }

  const logged = () => {
    const lines: string[] = [];
    const invocation = new InvocationContext({ functionName: 'sweepStalledCommands', invocationId: 'i-2', logHandler: (_level, ...args) => lines.push(String(args[0])) });
    return { lines, invocation };
  };

  it('nudges a stalled command on its timer, logging the command id, and the workflow finishes', async () => {
    const { byName, workflow, commandId } = await stalledCommand();
    const timer = byName('sweepStalledCommands');
    if (timer.kind !== 'timer') throw new Error('unexpected kind');
    expect(timer.options.schedule).toBe('0 * * * * *');
    const { lines, invocation } = logged();
    await timer.options.handler({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: {} } as never, invocation);
    expect(lines).toEqual(
      expect.arrayContaining([
        `Nudged command ${commandId} (Created): re-sent validate as ${commandId}:validate:sweep-2-1, nudge 1`,
        expect.stringMatching(/^Sweep at .*: 1 nudged, 0 given up, 0 repaired, 1 checked$/),
      ]),
    );
    await workflow.drain();
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Completed' });
  });

  it('lists stalled commands and runs a sweep over HTTP', async () => {
    const { http, commandId } = await stalledCommand();
    const get = (query = '') => http('listStalledCommands')(new HttpRequest({ method: 'GET', url: `http://localhost/api/stalled-commands${query}` }), context()) as Promise<HttpResponseInit>;
    await expect(get()).resolves.toMatchObject({ status: 200, jsonBody: { stallAfterMs: tenMinutes, items: [{ commandId, status: 'Created', nudges: 0 }] } });
    const swept = (await http('runSweep')(new HttpRequest({ method: 'POST', url: 'http://localhost/api/sweeps' }), context())) as HttpResponseInit;
    expect(swept).toMatchObject({ status: 200, jsonBody: { nudged: [{ commandId, queue: 'validate', nudge: 1 }], gaveUp: [], repaired: [] } });
    await expect(get('?limit=1')).resolves.toMatchObject({ jsonBody: { items: [{ commandId, nudges: 1, lastNudgedAt: expect.any(String) }] } });
    for (const limit of ['0', '101', 'ten', '1e2']) {
      await expect(get(`?limit=${limit}`)).resolves.toMatchObject({ status: 400, jsonBody: { error: { code: 'invalid_query' } } });
    }
  });
});
