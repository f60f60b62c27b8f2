import type { EventEnvelope, NewEvent } from '@commandflow/events';

/**
 * How an event is stored in the `events` container: the envelope with `type` at the top level,
 * plus `id`, its version zero-padded to 10 digits (so ids sort like versions). Two writers of the
 * same version in a stream create the same id: the second gets the 409 that makes appends optimistic.
 */
export type EventDocument = EventEnvelope & Readonly<{ id: string }>;

/** The envelope's fields, in the order they are stored and read back. */
export const envelopeFields = ['eventId', 'streamId', 'version', 'type', 'data', 'metadata'] as const;

/** The document id of a stream's version: `42` → `0000000042`. */
export const eventDocumentId = (version: number): string => String(version).padStart(10, '0');

export function toEventDocument(streamId: string, version: number, { eventId, type, data, metadata }: NewEvent): EventDocument {
  return { id: eventDocumentId(version), eventId, streamId, version, type, data, metadata };
}

/** The envelope of a stored event document (from a query or the change feed), without `id` and Cosmos DB's system properties. */
export function eventFromDocument(document: Readonly<Record<string, unknown>>): EventEnvelope {
  const present = envelopeFields.filter((field) => field in document);
  return Object.fromEntries(present.map((field) => [field, document[field]])) as EventEnvelope;
}
