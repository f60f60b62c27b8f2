import type { EventEnvelope, NewEvent } from '@commandflow/events';

/** `no-stream`: the stream must not exist yet; `any`: no check; a number: the stream's current version. */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface ReadStreamOptions {
  /** First version to return (inclusive, default 1). */
  readonly fromVersion?: number;
  /** Last version to return (inclusive, default the end of the stream). */
  readonly toVersion?: number;
}

export interface StreamSlice {
  /** The requested events, in version order. */
  readonly events: readonly EventEnvelope[];
  /** The stream's current version (its last event's), whatever range was asked for; 0 if it does not exist. */
  readonly version: number;
}

/**
 * The event store port. Streams are append-only sequences of events with contiguous, 1-based
 * versions. Adapters must pass `describeEventStoreContract`.
 */
export interface EventStore {
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StreamSlice>;
  /**
   * Appends all the events or none. Returns the stream's new version.
   * @throws ConcurrencyError when the stream is not at `expectedVersion`.
   * @throws ValidationError for a bad stream id, an empty append or an oversized event.
   */
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedVersion: ExpectedVersion },
  ): Promise<number>;
}
