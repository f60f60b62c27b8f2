import type { EventEnvelope, NewEvent } from '@commandflow/events';
import { assertExpectedVersion, assertValidStreamId, checkAppend, defaultMaxEventBytes, versionRange } from './appendRules';
import type { EventStore, ExpectedVersion, ReadStreamOptions, StreamSlice } from './eventStore';

/** An event store in process memory, for tests and single-process experiments. Nothing survives a restart. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, EventEnvelope[]>();

  constructor(private readonly options: { readonly maxEventBytes?: number } = {}) {}

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StreamSlice> {
    assertValidStreamId(streamId);
    const stream = this.streams.get(streamId) ?? [];
    const { from, to } = versionRange(options);
    return { events: stream.filter((e) => e.version >= from && e.version <= to), version: stream.length };
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    { expectedVersion }: { readonly expectedVersion: ExpectedVersion },
  ): Promise<number> {
    const serialised = checkAppend(streamId, events, expectedVersion, this.options.maxEventBytes ?? defaultMaxEventBytes);
    const stream = this.streams.get(streamId) ?? [];
    assertExpectedVersion(streamId, expectedVersion, stream.length);
    // Stored as a copy, as a real store would: later changes to the caller's objects don't leak in.
    const stored = serialised.map((json, index): EventEnvelope => ({
      ...(JSON.parse(json) as NewEvent),
      streamId,
      version: stream.length + index + 1,
    }));
    this.streams.set(streamId, [...stream, ...stored]);
    return stream.length + stored.length;
  }
}
