import { HttpRequest, InvocationContext, type HttpHandler, type HttpResponseInit } from '@azure/functions';
import { sampleCatalogue } from '@commandflow/commands';
import { commandStreamId } from '@commandflow/events';
import type { FunctionDefinition, HttpFunctionDefinition } from '@commandflow/functions';
import { InMemoryCommandListStore, InMemoryWorkflow } from '@commandflow/workflow';
import { intakeFunctions } from './intakeFunctions';
import type { IntakeServices } from './intakeServices';

function intake() {
  const workflow = new InMemoryWorkflow(sampleCatalogue());
  const services: IntakeServices = {
    workflow: workflow.deps,
    catalogue: workflow.deps.catalogue,
    eventStore: workflow.eventStore,
    listStore: new InMemoryCommandListStore(),
  };
  const definitions = intakeFunctions(async () => services);
  const byName = (name: string): FunctionDefinition => {
    const definition = definitions.find((d) => d.name === name);
    if (!definition) throw new Error(`no function ${name}`);
    return definition;
  };
  const http = (name: string): HttpHandler => (byName(name) as HttpFunctionDefinition).options.handler;
  return { workflow, services, definitions, byName, http };
}

const context = () => new InvocationContext({ functionName: 'test', invocationId: 'i-1' });
const post = (commandType: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new HttpRequest({ method: 'POST', url: `http://localhost/api/commands/${commandType}`, params: { commandType }, headers, body: { string: body } });

describe('the intake app', () => {
  it('describes its functions: HTTP API (never anonymous), the page (anonymous, guarded by its own access check), Event Grid, the incoming queue and the change-feed projector', () => {
    const { definitions } = intake();
    expect(definitions.map((d) => [d.kind, d.name])).toEqual([
      ['http', 'submitCommand'],
      ['http', 'listCommands'],
      ['http', 'getCommand'],
      ['http', 'getCommandEvents'],
      ['http', 'listCommandTypes'],
      ['http', 'countCommands'],
      ['http', 'listDeadLetters'],
      ['http', 'peekDeadLetter'],
      ['http', 'resubmitDeadLetter'],
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
        'pagePeekDeadLetter',
        'pageResubmitDeadLetter',
      ].map((name) => ['http', name]),
      ['eventGrid', 'submitFromEventGrid'],
      ['serviceBusQueue', 'submitFromIncomingQueue'],
      ['cosmosDBChangeFeed', 'projectCommandList'],
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
    await expect(incoming.options.handler('{"not":"an event"}', context())).rejects.toMatchObject({ code: 'invalid_event' });
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
