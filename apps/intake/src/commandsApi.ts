import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { ValidationError, commandStreamId, workflowEventCodec } from '@commandflow/events';
import { commandState, commandStatuses, type CommandStatus } from '@commandflow/projections';
import { isTraceparent, newTraceparent } from '@commandflow/functions';
import { startStepSpan } from '@commandflow/telemetry';
import { measureInvocation } from '@commandflow/usage';
import { logCommand } from '@commandflow/workflow';
import { randomBytes } from 'node:crypto';
import { continuationTokens, type ListFilter } from './continuationTokens';
import { errorResponse, responseForError } from './httpErrors';
import type { IntakeServices } from './intakeServices';
import { RejectedRequest, actorOf, readSubmitBody } from './submitRequest';

type Services = () => Promise<IntakeServices>;

const commandIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const links = (commandId: string) => ({ self: `/api/commands/${commandId}`, events: `/api/commands/${commandId}/events` });

/** Wraps a handler so that every thrown error becomes the API's JSON error response. */
export const handled =
  (handler: HttpHandler): HttpHandler =>
  async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof RejectedRequest) return errorResponse(error.status, error.code, error.message);
      return responseForError(error, context);
    }
  };

/** POST /api/commands/{commandType}: log a command; 202 when new, 200 when the Idempotency-Key found it. */
export const submitCommand = (services: Services): HttpHandler =>
  handled(async (request, context) => {
    const parameters = await readSubmitBody(request);
    const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
    const correlationId = request.headers.get('x-correlation-id') ?? undefined;
    const { workflow, trustClientPrincipal, meter } = await services();
    const requested = [request.headers.get('traceparent'), context.traceContext?.traceParent].find(isTraceparent);
    const span = startStepSpan('log', requested ? { parent: requested } : {});
    const traceparent = span.traceparent ?? newTraceparent(workflow.newId);
    const log = () =>
      logCommand(workflow, {
        commandType: request.params['commandType'] ?? '',
        parameters,
        actor: actorOf(request, trustClientPrincipal),
        source: 'http',
        traceparent,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        ...(correlationId === undefined ? {} : { correlationId }),
      });
    const outcome = await measureInvocation(meter, { step: 'log', messagesReceived: 0 }, () => span.record(log), (logged) => logged.commandId);
    const { commandId, state } = outcome;
    return {
      status: outcome.created ? 202 : 200,
      headers: {
        location: links(commandId).self,
        traceparent,
        'x-correlation-id': state.status === 'Empty' ? commandId : state.correlationId,
      },
      jsonBody: { commandId, status: state.status, links: links(commandId) },
    };
  });

/** The route's command id, checked. @throws ValidationError for anything that is not one. */
export function commandIdParameter(request: HttpRequest): string {
  const commandId = request.params['commandId'] ?? '';
  if (!commandIdPattern.test(commandId)) throw new ValidationError('invalid_command_id', `Not a command id: ${JSON.stringify(commandId)}`);
  return commandId;
}

async function readCommandEvents(request: HttpRequest, services: Services) {
  const commandId = commandIdParameter(request);
  const { eventStore } = await services();
  const { events } = await eventStore.readStream(commandStreamId(commandId));
  return { commandId, events: workflowEventCodec.decodeAll(events) };
}

export const notFound = (commandId: string): HttpResponseInit => errorResponse(404, 'command_not_found', `No command with id ${commandId}`);

/** GET /api/commands/{commandId}[?asOfVersion=n|asOf=iso]: the command's state, now or then. */
export const getCommand = (services: Services): HttpHandler =>
  handled(async (request) => {
    const asOfVersionText = request.query.get('asOfVersion');
    const asOf = request.query.get('asOf') ?? undefined;
    const asOfVersion = asOfVersionText === null ? undefined : Number(asOfVersionText);
    if (asOfVersion !== undefined && !(Number.isInteger(asOfVersion) && asOfVersion >= 0)) {
      throw new ValidationError('invalid_query', `asOfVersion must be a whole number ≥ 0, got ${JSON.stringify(asOfVersionText)}`);
    }
    if (asOf !== undefined && !(isoInstant.test(asOf) && !Number.isNaN(Date.parse(asOf)))) {
      throw new ValidationError('invalid_query', `asOf must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got ${JSON.stringify(asOf)}`);
    }
    const { commandId, events } = await readCommandEvents(request, services);
    if (events.length === 0) return notFound(commandId);
    return { status: 200, jsonBody: commandState(events, { asOfVersion, asOf }) };
  });

/** GET /api/commands/{commandId}/events: the command's stream in version order. */
export const getCommandEvents = (services: Services): HttpHandler =>
  handled(async (request) => {
    const { commandId, events } = await readCommandEvents(request, services);
    return events.length === 0 ? notFound(commandId) : { status: 200, jsonBody: { events } };
  });

/**
 * GET /api/commands?status=&commandType=&limit=&continuation=: the read model, newest first. The
 * continuation token is the store's, sealed: signed and bound to the filter (a tampered one: 400).
 */
export const listCommands = (services: Services): HttpHandler => {
  const processTokens = continuationTokens(randomBytes(32));
  return handled(async (request) => {
    const status = request.query.get('status') ?? undefined;
    if (status !== undefined && !commandStatuses.includes(status as CommandStatus)) {
      throw new ValidationError('invalid_query', `status must be one of ${commandStatuses.join(', ')}`);
    }
    const limitText = request.query.get('limit');
    const limit = limitText === null ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new ValidationError('invalid_query', `limit must be a whole number from 1 to 100, got ${JSON.stringify(limitText)}`);
    }
    const { listStore, continuationTokens: tokens = processTokens } = await services();
    const commandType = request.query.get('commandType') || undefined;
    const filter: ListFilter = { ...(status === undefined ? {} : { status }), ...(commandType === undefined ? {} : { commandType }) };
    const continuation = request.query.get('continuation') || undefined;
    const page = await listStore.list({
      limit,
      ...(status === undefined ? {} : { status: status as CommandStatus }),
      ...(commandType === undefined ? {} : { commandType }),
      ...(continuation === undefined ? {} : { continuation: tokens.open(continuation, filter) }),
    });
    return { status: 200, jsonBody: { items: page.items, continuation: page.continuation ? tokens.seal(page.continuation, filter) : null } };
  });
};

/** GET /api/command-types: the catalogue, with each type's parameters as JSON Schema. */
export const listCommandTypes = (services: Services): HttpHandler =>
  handled(async () => ({ status: 200, jsonBody: { commandTypes: (await services()).catalogue.describe() } }));
