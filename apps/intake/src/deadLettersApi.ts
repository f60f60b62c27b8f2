import type { HttpHandler, HttpRequest } from '@azure/functions';
import { NotFoundError, ValidationError } from '@commandflow/events';
import type { DeadLetters } from '@commandflow/messaging';
import { queueNames } from '@commandflow/topology';
import { handled } from './commandsApi';
import type { IntakeServices } from './intakeServices';

type Services = () => Promise<IntakeServices>;

const knownQueues: readonly string[] = Object.values(queueNames);
const sequenceNumberPattern = /^[0-9]{1,15}$/;
const defaultPageSize = 50;
const maxPageSize = 100;

/** The queue and the DeadLetters port a request is about; 404 for a queue the topology does not have. */
async function deadLettersOf(request: HttpRequest, services: Services): Promise<{ queue: string; deadLetters: DeadLetters }> {
  const queue = request.params['queue'] ?? '';
  if (!knownQueues.includes(queue)) {
    throw new NotFoundError('queue_not_found', `No queue named ${JSON.stringify(queue.slice(0, 100))}; known: ${knownQueues.join(', ')}`);
  }
  return { queue, deadLetters: (await services()).deadLetters };
}

/** A whole number ≥ 1 from a route parameter or query value; 400 otherwise. */
function positiveWholeNumber(name: string, text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return undefined;
  const value = sequenceNumberPattern.test(text) ? Number(text) : NaN;
  if (!(value >= 1)) throw new ValidationError('invalid_query', `${name} must be a whole number ≥ 1, got ${JSON.stringify(text.slice(0, 100))}`);
  return value;
}

/** The queue, the port and the sequence number of one dead letter a request names. */
async function oneDeadLetterOf(request: HttpRequest, services: Services) {
  const sequenceNumber = positiveWholeNumber('sequenceNumber', request.params['sequenceNumber'] ?? '') as number;
  return { ...(await deadLettersOf(request, services)), sequenceNumber };
}

const notFound = (queue: string, sequenceNumber: number) =>
  new NotFoundError('dead_letter_not_found', `Queue ${queue} has no dead letter with sequence number ${sequenceNumber}`, { queue, sequenceNumber });

/**
 * GET /api/queues/{queue}/dead-letters?limit=&from=: dead letters in sequence order, from `from`
 * (default the oldest); `next` is where the following page starts, null on the last page.
 */
export const listDeadLetters = (services: Services): HttpHandler =>
  handled(async (request) => {
    const { queue, deadLetters } = await deadLettersOf(request, services);
    const limit = positiveWholeNumber('limit', request.query.get('limit')) ?? defaultPageSize;
    if (limit > maxPageSize) throw new ValidationError('invalid_query', `limit must be from 1 to ${maxPageSize}, got ${limit}`);
    const from = positiveWholeNumber('from', request.query.get('from'));
    const items = await deadLetters.list(queue, { limit, ...(from === undefined ? {} : { fromSequenceNumber: from }) });
    const last = items.at(-1);
    return { status: 200, jsonBody: { queue, items, next: items.length === limit && last ? last.sequenceNumber + 1 : null } };
  });

/** GET /api/queues/{queue}/dead-letters/{sequenceNumber}: one dead letter, with its reason and description. */
export const peekDeadLetter = (services: Services): HttpHandler =>
  handled(async (request) => {
    const { queue, deadLetters, sequenceNumber } = await oneDeadLetterOf(request, services);
    const deadLetter = await deadLetters.peek(queue, sequenceNumber);
    if (!deadLetter) throw notFound(queue, sequenceNumber);
    return { status: 200, jsonBody: deadLetter };
  });

/** POST /api/queues/{queue}/dead-letters/{sequenceNumber}/resubmit: puts a copy back on the queue. */
export const resubmitDeadLetter = (services: Services): HttpHandler =>
  handled(async (request) => {
    const { queue, deadLetters, sequenceNumber } = await oneDeadLetterOf(request, services);
    const resubmitted = await deadLetters.resubmit(queue, sequenceNumber);
    if (!resubmitted) throw notFound(queue, sequenceNumber);
    return { status: 200, jsonBody: { queue, sequenceNumber, messageId: resubmitted.messageId } };
  });
