/** Any JSON value, as event data and parameter values are stored. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface EventMetadata {
  /** The command whose workflow wrote (or caused) this event. */
  readonly commandId: string;
  /** Shared by every event and message of one request, end to end. */
  readonly correlationId: string;
  /** What caused this event: the command id for a command's side effects, else the previous message. */
  readonly causationId: string;
  readonly actor: string;
  /** ISO-8601 UTC timestamp from the injected clock. */
  readonly occurredAt: string;
  /** Version of the `data` schema the event was written with; older ones are upcast on read. */
  readonly schemaVersion: number;
  /** W3C trace context (`00-<trace-id>-<parent-id>-<flags>`) of the invocation that wrote the event. */
  readonly traceparent?: string;
}

/** An event as stored: `version` is 1-based and contiguous within `streamId`. */
export type EventEnvelope<Type extends string = string, Data = unknown> = Readonly<{
  eventId: string;
  streamId: string;
  version: number;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}>;

/** An event about to be appended; the store assigns `streamId` and `version`. */
export type NewEvent<Type extends string = string, Data = unknown> = Omit<EventEnvelope<Type, Data>, 'streamId' | 'version'>;

/** What a decision produces: the store and the runner add the rest of the envelope. */
export type EventDraft<Type extends string = string, Data = unknown> = Readonly<{ type: Type; data: Data }>;
