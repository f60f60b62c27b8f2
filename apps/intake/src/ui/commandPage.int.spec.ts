import { HttpRequest, InvocationContext, type HttpHandler, type HttpResponseInit } from '@azure/functions';
import { sampleCatalogue } from '@commandflow/commands';
import type { HttpFunctionDefinition } from '@commandflow/functions';
import type { DeadLetters } from '@commandflow/messaging';
import { embeddedStoresOptions } from '@commandflow/runtime';
import type { EmbeddedStores, SqliteQueue } from '@commandflow/sqlite';
import { InMemoryCommandListStore, InMemoryWorkflow, defaultSweepSettings } from '@commandflow/workflow';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { intakeFunctions } from '../intakeFunctions';
import type { IntakeServices } from '../intakeServices';
import { pageSettingsFromEnv, type PageSettings } from './pageSettings';

const folder = mkdtempSync(path.join(tmpdir(), 'commandflow-page-'));
const env = { COMMANDFLOW_DATABASE: path.join(folder, 'page.db') };
let stores: EmbeddedStores;
let queue: SqliteQueue;
let deadLetters: DeadLetters;
beforeAll(async () => {
  // As intake is composed on the embedded default: the SQLite queue is the DeadLetters port.
  const { openEmbeddedStores } = await import('@commandflow/sqlite');
  stores = openEmbeddedStores(embeddedStoresOptions(env));
  queue = stores.queue;
  deadLetters = queue;
});
afterAll(() => {
  stores.close();
  rmSync(folder, { recursive: true, force: true });
});

function intake(page: PageSettings | undefined) {
  const workflow = new InMemoryWorkflow(sampleCatalogue());
  const listStore = new InMemoryCommandListStore();
  const services: IntakeServices = {
    workflow: workflow.deps,
    catalogue: workflow.deps.catalogue,
    eventStore: workflow.eventStore,
    listStore,
    deadLetters,
    delivery: workflow.policy,
    sweep: defaultSweepSettings,
    ...(page ? { page } : {}),
  };
  const definitions = intakeFunctions(async () => services);
  const http = (name: string): HttpHandler => {
    const definition = definitions.find((d): d is HttpFunctionDefinition => d.kind === 'http' && d.name === name);
    if (!definition) throw new Error(`no function ${name}`);
    return definition.options.handler;
  };
  const call = async (name: string, init: { method?: string; path: string; params?: Record<string, string>; headers?: Record<string, string> }) =>
    (await http(name)(
      new HttpRequest({ method: init.method ?? 'GET', url: `http://localhost/api/${init.path}`, params: init.params ?? {}, headers: init.headers ?? {} }),
      new InvocationContext({ functionName: name, invocationId: 'i-1' }),
    )) as HttpResponseInit;
  return { workflow, listStore, call };
}

const open: PageSettings = { access: 'open', writes: false, appServiceAuthEnabled: false };

/** A message on `validate` that is dead-lettered on its first delivery, as a poison message is. */
async function deadLetter(name: string, messageId: string): Promise<number> {
  await queue.send(name, { messageId, body: { nope: true } });
  const [received] = await queue.receive(name, { maxMessages: 1 });
  await queue.deadLetter(received!, { reason: 'NotAStepMessage', description: 'Not a step message' });
  return received!.sequenceNumber;
}

describe('the page and its data routes', () => {
  it('serves one HTML document whose script and styles are allowed by hash and nothing else', async () => {
    const page = await intake(open).call('commandListPage', { path: 'ui' });
    expect(page.status).toBe(200);
    const headers = new Headers(page.headers as Record<string, string>);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; connect-src 'self'/);
    const html = String(page.body);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//);
    expect(html).toContain('"writes":false');
  });

  it('lets in only users App Service authentication signed in, by default; says why with the API error JSON', async () => {
    const signedIn = { 'x-ms-client-principal-id': 'user-1' };
    await expect(intake(undefined).call('commandListPage', { path: 'ui', headers: signedIn })).resolves.toMatchObject({
      status: 403,
      jsonBody: { error: { code: 'page_needs_app_service_auth' } },
    });
    const behindAuth = intake(pageSettingsFromEnv({ COMMANDFLOW_APP_SERVICE_AUTH: 'true' }));
    await expect(behindAuth.call('pageListCommands', { path: 'ui/data/commands' })).resolves.toMatchObject({
      status: 401,
      jsonBody: { error: { code: 'sign_in_required', details: { signIn: '/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fui%2Fdata%2Fcommands' } } },
    });
    await expect(behindAuth.call('pageListCommands', { path: 'ui/data/commands', headers: signedIn })).resolves.toMatchObject({ status: 200 });
    await expect(intake(pageSettingsFromEnv({ COMMANDFLOW_PAGE_ACCESS: 'off' })).call('commandListPage', { path: 'ui' })).resolves.toMatchObject({
      status: 404,
      jsonBody: { error: { code: 'page_off' } },
    });
  });

  it('stops start-up on a malformed page setting, naming it', () => {
    expect(() => pageSettingsFromEnv({ COMMANDFLOW_PAGE_ACCESS: 'everyone' })).toThrow(/COMMANDFLOW_PAGE_ACCESS/);
    expect(() => pageSettingsFromEnv({ COMMANDFLOW_PAGE_WRITES: 'yes' })).toThrow(/COMMANDFLOW_PAGE_WRITES/);
    expect(pageSettingsFromEnv({})).toEqual({ access: 'app-service-auth', writes: false, appServiceAuthEnabled: false });
  });

  it('reads the same data as the API: commands, their counts by status, a command as of a version', async () => {
    const { workflow, listStore, call } = intake(open);
    const { commandId } = await workflow.submit({ commandType: 'create-league', parameters: { leagueName: 'Paged' } });
    await workflow.drain();
    const state = await workflow.state(commandId);
    if (state.status === 'Empty') throw new Error('no state');
    await listStore.save({ ...state, id: commandId, updatedAt: state.createdAt }, undefined);
    await expect(call('pageCountCommands', { path: 'ui/data/command-counts' })).resolves.toMatchObject({ status: 200, jsonBody: { counts: { Completed: 1, Invalid: 0 } } });
    await expect(call('countCommands', { path: 'command-counts' })).resolves.toMatchObject({ status: 200, jsonBody: { counts: { Completed: 1 } } });
    const asOf = await call('pageGetCommand', { path: `ui/data/commands/${commandId}?asOfVersion=1`, params: { commandId } });
    expect(asOf).toMatchObject({ status: 200, jsonBody: { status: 'Created', version: 1 } });
  });

  it('lists, shows and resubmits dead letters; bad queue names and numbers are refused', async () => {
    const { call } = intake(open);
    const sequenceNumber = await deadLetter('validate', 'poison-1');
    const params = { queue: 'validate', sequenceNumber: String(sequenceNumber) };
    const listed = await call('listDeadLetters', { path: 'queues/validate/dead-letters', params: { queue: 'validate' } });
    expect(listed).toMatchObject({ status: 200, jsonBody: { queue: 'validate', items: [{ sequenceNumber, messageId: 'poison-1', reason: 'NotAStepMessage' }], next: null } });
    await expect(call('pagePeekDeadLetter', { path: 'ui/data/queues/validate/dead-letters/x', params })).resolves.toMatchObject({
      status: 200,
      jsonBody: { sequenceNumber, body: { nope: true }, reason: 'NotAStepMessage', description: 'Not a step message' },
    });
    await expect(call('listDeadLetters', { path: 'queues/nope/dead-letters', params: { queue: 'nope' } })).resolves.toMatchObject({
      status: 404,
      jsonBody: { error: { code: 'queue_not_found' } },
    });
    await expect(call('peekDeadLetter', { path: 'x', params: { queue: 'validate', sequenceNumber: '1e3' } })).resolves.toMatchObject({
      status: 400,
      jsonBody: { error: { code: 'invalid_query' } },
    });
    await expect(call('peekDeadLetter', { path: 'x', params: { queue: 'validate', sequenceNumber: '999999' } })).resolves.toMatchObject({
      status: 404,
      jsonBody: { error: { code: 'dead_letter_not_found' } },
    });

    await expect(call('resubmitDeadLetter', { method: 'POST', path: 'x', params })).resolves.toMatchObject({ status: 200, jsonBody: { messageId: `poison-1:resubmit:${sequenceNumber}` } });
    await expect(queue.peek('validate', sequenceNumber)).resolves.toBeUndefined();
    await expect(call('resubmitDeadLetter', { method: 'POST', path: 'x', params })).resolves.toMatchObject({ status: 404 });
  });

  it('resubmits through the page only where writes are allowed, and only from its own script', async () => {
    const sequenceNumber = await deadLetter('execute', 'poison-2');
    const params = { queue: 'execute', sequenceNumber: String(sequenceNumber) };
    const fromScript = { 'x-commandflow-page': 'resubmit' };
    await expect(intake(open).call('pageResubmitDeadLetter', { method: 'POST', path: 'x', params, headers: fromScript })).resolves.toMatchObject({
      status: 403,
      jsonBody: { error: { code: 'page_read_only' } },
    });
    const writable = intake({ ...open, writes: true });
    await expect(writable.call('pageResubmitDeadLetter', { method: 'POST', path: 'x', params })).resolves.toMatchObject({
      status: 403,
      jsonBody: { error: { code: 'missing_page_header' } },
    });
    await expect(queue.peek('execute', sequenceNumber)).resolves.toMatchObject({ messageId: 'poison-2' });
    await expect(writable.call('pageResubmitDeadLetter', { method: 'POST', path: 'x', params, headers: fromScript })).resolves.toMatchObject({ status: 200 });
    await expect(queue.peek('execute', sequenceNumber)).resolves.toBeUndefined();
  });
});
