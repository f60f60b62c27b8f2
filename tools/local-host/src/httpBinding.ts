import { HttpRequest, HttpResponse, type HttpResponseInit } from '@azure/functions';
import { assertJsonTextDepth, inputLimits, isCommandflowError } from '@commandflow/events';
import type { EventGridFunctionDefinition, HttpFunctionDefinition } from '@commandflow/functions';
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { invoke } from './invocation';
import type { InvocationLog } from './invocationLog';
import { compileRoute, decodePathSegment } from './routeTemplate';

/** Largest body of an HTTP function's request, in bytes: the API's own limit, enforced while reading. */
const maxRequestBodyBytes = inputLimits.maxBodyBytes;
/** Largest Event Grid batch, in bytes (Event Grid's own limit on a delivery). */
const maxEventGridBatchBytes = 1024 * 1024;
/** The event type and header value of Event Grid's subscription handshake. */
const validationEventType = 'Microsoft.EventGrid.SubscriptionValidationEvent';

export interface HttpBindings {
  readonly app: string;
  readonly http: readonly HttpFunctionDefinition[];
  readonly eventGrid: readonly EventGridFunctionDefinition[];
}

/** What became of one event of an Event Grid batch. */
type EventResult =
  | Readonly<{ id: string | null; status: 'accepted' }>
  | Readonly<{ id: string | null; status: 'rejected' | 'failed'; error: { code: string; message: string } }>;

/**
 * Serves HTTP functions on `/api/<route>` and Event Grid functions on the Functions host's local
 * webhook, `/runtime/webhooks/eventgrid?functionName=<name>` (with the validation handshake).
 * Every answer to a request a client can send is the API's JSON error or the function's own,
 * never a 5xx of the host's making: malformed URLs, %-escapes and Host headers, bodies over the
 * limit (refused while reading, before the function runs) and requests Node's parser refuses.
 */
export function createHttpServer(bindings: readonly HttpBindings[], log: InvocationLog): Server {
  const routes = bindings
    .flatMap(({ app, http }) => http.map((definition) => ({ app, definition, route: compileRoute(definition.options.route) })))
    .sort((a, b) => b.route.specificity - a.route.specificity);
  const eventGrid = new Map(bindings.flatMap(({ app, eventGrid: defs }) => defs.map((definition) => [definition.name, { app, definition }] as const)));

  // No Host header is required: the host never reads it (a missing one would get Node's bare 400).
  const server = createServer({ requireHostHeader: false }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('Unhandled error in the local host', error);
      if (!response.headersSent) send(response, { status: 500, jsonBody: { error: { code: 'host_error', message: 'The local host failed' } } });
    });
  });
  server.on('clientError', answerClientError);
  // A client may half-close after its request (HTTP/1.1 allows it): answer it, as the Functions host
  // does, instead of Node's default of dropping the request when the FIN arrives before the answer.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  return server;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request);
    if (url === undefined) return send(response, errorBody(400, 'malformed_url', 'The request target is not a path such as /api/commands'));
    if (decodePathSegment(url.pathname) === undefined) {
      return send(response, errorBody(400, 'malformed_path', 'The path has a malformed %-escape: use %XX with two hex digits, encoding UTF-8'));
    }
    if (url.pathname === '/runtime/webhooks/eventgrid') return deliverEventGrid(url, request, response);
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
    const body = await readBody(request, maxRequestBodyBytes);
    if (body === undefined) return refuseTooLarge(request, response, maxRequestBodyBytes);
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

  /**
   * The webhook: a validation request (one SubscriptionValidationEvent) gets the handshake; any
   * other batch is delivered event by event, each accepted or rejected on its own, and the answer
   * lists what became of each: 202 when all were accepted, 400 `events_rejected` when any was
   * refused for good (the accepted ones stay logged), 503 when one failed and may succeed later
   * (Event Grid then redelivers the batch; the accepted ones are not logged twice).
   */
  async function deliverEventGrid(url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return send(response, errorBody(405, 'method_not_allowed', 'POST Event Grid events'));
    const name = url.searchParams.get('functionName') ?? '';
    const target = eventGrid.get(name);
    if (!target) return send(response, errorBody(404, 'not_found', `No Event Grid function named ${JSON.stringify(name)}; known: ${[...eventGrid.keys()].join(', ')}`));
    const body = await readBody(request, maxEventGridBatchBytes);
    if (body === undefined) return refuseTooLarge(request, response, maxEventGridBatchBytes);
    const text = body.toString('utf8');
    let events: unknown;
    try {
      assertJsonTextDepth(text);
      events = JSON.parse(text);
    } catch (error) {
      if (isCommandflowError(error)) return send(response, errorBody(400, error.code, error.message));
      return send(response, errorBody(400, 'malformed_json', 'The body is not valid JSON'));
    }
    const list: unknown[] = Array.isArray(events) ? events : [events];
    const isValidation = (event: unknown) => (event as { eventType?: unknown } | null)?.eventType === validationEventType;
    const header = request.headers['aeg-event-type'];
    if (header === 'SubscriptionValidation' || (header === undefined && list.length === 1 && isValidation(list[0]))) {
      const validationCode = (list[0] as { data?: { validationCode?: unknown } } | null)?.data?.validationCode;
      if (list.length !== 1 || !isValidation(list[0]) || typeof validationCode !== 'string') {
        return send(response, errorBody(400, 'invalid_validation_request', `A validation request is one ${validationEventType} with data.validationCode`));
      }
      return send(response, { status: 200, jsonBody: { validationResponse: validationCode } });
    }
    const results: EventResult[] = [];
    for (const event of list) {
      const rawId = (event as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' ? rawId : null;
      if (isValidation(event)) {
        results.push({ id, status: 'rejected', error: { code: 'invalid_event', message: 'A subscription validation event inside a batch of notifications' } });
        continue;
      }
      try {
        await invoke(target.app, name, log, { triggerMetadata: {} }, async (context) => target.definition.options.handler(event as never, context));
        results.push({ id, status: 'accepted' });
      } catch (error) {
        if (isCommandflowError(error) && !error.retryable) results.push({ id, status: 'rejected', error: { code: error.code, message: error.message } });
        else results.push({ id, status: 'failed', error: { code: 'function_failed', message: `${name} failed; Event Grid would retry` } });
      }
    }
    const count = (status: EventResult['status']) => results.filter((r) => r.status === status).length;
    if (count('failed') > 0) {
      return send(response, errorBody(503, 'function_failed', `${count('failed')} of ${results.length} events failed and may succeed on redelivery`, { results }));
    }
    if (count('rejected') > 0) {
      return send(response, errorBody(400, 'events_rejected', `${count('rejected')} of ${results.length} events were rejected; the others were accepted`, { results }));
    }
    return send(response, { status: 202, jsonBody: { results } });
  }
}

/** The request's path and query, parsed without trusting the Host header; undefined when malformed. */
function requestUrl(request: IncomingMessage): URL | undefined {
  const target = request.url ?? '/';
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    return new URL(target, `http://${localAuthority(request)}`);
  } catch {
    return undefined;
  }
}

/** The address the request came in on (what the Host header should have said). */
function localAuthority(request: IncomingMessage): string {
  const { localAddress, localPort } = request.socket;
  return localAddress?.includes(':') ? `[${localAddress}]:${localPort}` : `${localAddress ?? '127.0.0.1'}:${localPort ?? 80}`;
}

/** Answers a request Node's HTTP parser refused with the API's JSON error, then closes the connection. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request line and headers are over the limit (16 KiB)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'HPE_HEADER_TIMEOUT'
        ? [408, 'request_timeout', 'The request did not arrive in time']
        : [400, 'bad_request', `The request is not well-formed HTTP/1.1 (${error.code ?? 'parse error'})`];
  const payload = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
  );
}

/** Bytes of a refused body the host reads past and discards before it closes the connection instead. */
const maxDiscardedBytes = 16 * 1024 * 1024;

/**
 * Refuses a body over the limit: nothing more of it is kept. The rest is read and discarded (so
 * the client, still sending, receives the answer), up to 16 MiB; past that the connection is cut.
 */
function refuseTooLarge(request: IncomingMessage, response: ServerResponse, maxBytes: number): void {
  response.shouldKeepAlive = false;
  const answer = () => send(response, errorBody(413, 'payload_too_large', `The body is over the limit of ${maxBytes} bytes`));
  if (request.complete) return answer();
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxDiscardedBytes) request.destroy();
  });
  request.once('end', answer);
  request.resume();
}

const errorBody = (status: number, code: string, message: string, details?: unknown): HttpResponseInit => ({
  status,
  jsonBody: { error: { code, message, ...(details === undefined ? {} : { details }) } },
});

async function fromHttpResponse(response: HttpResponse): Promise<HttpResponseInit> {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) };
}

/** The body, or undefined as soon as it is known to be over `maxBytes` (declared or read): nothing more is kept. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.off('data', onData);
      resolve(undefined);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
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
