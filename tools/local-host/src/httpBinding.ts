import { HttpRequest, HttpResponse, type HttpResponseInit } from '@azure/functions';
import { isCommandflowError } from '@commandflow/events';
import type { EventGridFunctionDefinition, HttpFunctionDefinition } from '@commandflow/functions';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { invoke } from './invocation';
import type { InvocationLog } from './invocationLog';
import { compileRoute } from './routeTemplate';

/** Largest request body the host reads at all, in bytes (the functions apply their own, smaller limits). */
const maxHostBodyBytes = 10 * 1024 * 1024;

export interface HttpBindings {
  readonly app: string;
  readonly http: readonly HttpFunctionDefinition[];
  readonly eventGrid: readonly EventGridFunctionDefinition[];
}

/**
 * Serves HTTP functions on `/api/<route>` and Event Grid functions on the Functions host's local
 * webhook, `/runtime/webhooks/eventgrid?functionName=<name>` (with the validation handshake).
 */
export function createHttpServer(bindings: readonly HttpBindings[], log: InvocationLog): Server {
  const routes = bindings
    .flatMap(({ app, http }) => http.map((definition) => ({ app, definition, route: compileRoute(definition.options.route) })))
    .sort((a, b) => b.route.specificity - a.route.specificity);
  const eventGrid = new Map(bindings.flatMap(({ app, eventGrid: defs }) => defs.map((definition) => [definition.name, { app, definition }] as const)));

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('Unhandled error in the local host', error);
      if (!response.headersSent) send(response, { status: 500, jsonBody: { error: { code: 'host_error', message: 'The local host failed' } } });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    const body = await readBody(request);
    if (body === undefined) return send(response, errorBody(413, 'payload_too_large', `Bodies over ${maxHostBodyBytes} bytes are refused`));
    if (url.pathname === '/runtime/webhooks/eventgrid') return send(response, await deliverEventGrid(url, request, body));
    if (url.pathname === '/') return send(response, { status: 302, headers: { location: '/api/ui' } });
    if (!url.pathname.startsWith('/api/')) return send(response, errorBody(404, 'not_found', `No function serves ${url.pathname}`));
    const path = url.pathname.slice('/api'.length);
    const method = (request.method ?? 'GET').toUpperCase();
    const matches = routes.flatMap((r) => {
      const params = r.route.match(path);
      return params ? [{ ...r, params }] : [];
    });
    const target = matches.find((m) => m.definition.options.methods.includes(method as never));
    if (!target) {
      return send(response, matches.length > 0 ? errorBody(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}`) : errorBody(404, 'not_found', `No function serves ${url.pathname}`));
    }
    const httpRequest = new HttpRequest({
      method,
      url: url.toString(),
      headers: Object.fromEntries(Object.entries(request.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))),
      query: Object.fromEntries(url.searchParams),
      params: target.params,
      ...(body.length > 0 ? { body: { string: body.toString('utf8') } } : {}),
    });
    const { app, definition } = target;
    const traceparent = httpRequest.headers.get('traceparent') ?? undefined;
    const trigger = { triggerMetadata: { params: target.params }, commandIdHint: target.params, ...(traceparent ? { traceparent } : {}) };
    const result = await invoke(app, definition.name, log, trigger, async (context) => definition.options.handler(httpRequest, context)).catch(
      (): HttpResponseInit => errorBody(500, 'function_failed', `${definition.name} failed`),
    );
    send(response, result instanceof HttpResponse ? await fromHttpResponse(result) : (result ?? { status: 204 }));
  }

  async function deliverEventGrid(url: URL, request: IncomingMessage, body: Buffer): Promise<HttpResponseInit> {
    if (request.method !== 'POST') return errorBody(405, 'method_not_allowed', 'POST Event Grid events');
    const name = url.searchParams.get('functionName') ?? '';
    const target = eventGrid.get(name);
    if (!target) return errorBody(404, 'not_found', `No Event Grid function named ${JSON.stringify(name)}; known: ${[...eventGrid.keys()].join(', ')}`);
    let events: unknown;
    try {
      events = JSON.parse(body.toString('utf8'));
    } catch {
      return errorBody(400, 'malformed_json', 'The body is not valid JSON');
    }
    const list = (Array.isArray(events) ? events : [events]) as { eventType?: string; data?: { validationCode?: string } }[];
    const validation = list.find((e) => e?.eventType === 'Microsoft.EventGrid.SubscriptionValidationEvent');
    if (validation || request.headers['aeg-event-type'] === 'SubscriptionValidation') {
      return { status: 200, jsonBody: { validationResponse: validation?.data?.validationCode } };
    }
    for (const event of list) {
      try {
        await invoke(target.app, name, log, { triggerMetadata: {} }, async (context) => target.definition.options.handler(event as never, context));
      } catch (error) {
        if (isCommandflowError(error) && !error.retryable) return errorBody(400, error.code, error.message);
        return errorBody(500, 'function_failed', `${name} failed; Event Grid would retry`);
      }
    }
    return { status: 202 };
  }
}

const errorBody = (status: number, code: string, message: string): HttpResponseInit => ({ status, jsonBody: { error: { code, message } } });

async function fromHttpResponse(response: HttpResponse): Promise<HttpResponseInit> {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) };
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxHostBodyBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxHostBodyBytes ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, init: HttpResponseInit): void {
  const headers: Record<string, string> = {};
  new Headers(init.headers as ConstructorParameters<typeof Headers>[0]).forEach((value, key) => (headers[key] = value));
  let payload: string | Buffer | undefined;
  if (init.jsonBody !== undefined) {
    payload = JSON.stringify(init.jsonBody);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (typeof init.body === 'string' || Buffer.isBuffer(init.body)) {
    payload = init.body;
  }
  response.writeHead(init.status ?? 200, headers);
  response.end(payload);
}
