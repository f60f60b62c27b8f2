import type { EventStore } from '@commandflow/event-store';
import type { MessageSender } from '@commandflow/messaging';
import { estimateRequestUnits, type RequestUnitTable } from './requestUnitEstimate';
import { currentUsageTally } from './usageMeter';

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/**
 * The event store, counting for the invocation being measured (if any): one read per
 * `readStream` with the bytes of the events it returned, one write per `appendToStream` with the
 * bytes of its events as stored (each envelope with its stream id and version), and request units estimated from `requestUnits` (Cosmos DB's published
 * charges by size), which a measured charge replaces. Outside a measured invocation it only
 * passes the calls on. Failed calls count too: they cost as much.
 */
export function meteredEventStore(inner: EventStore, requestUnits: RequestUnitTable): EventStore {
  return {
    async readStream(streamId, options) {
      const tally = currentUsageTally();
      if (!tally) return inner.readStream(streamId, options);
      tally.storeReads += 1;
      const slice = await inner.readStream(streamId, options);
      const bytes = jsonBytes(slice.events);
      tally.storeBytesRead += bytes;
      tally.estimatedRequestUnits += estimateRequestUnits(requestUnits, 'read', bytes);
      return slice;
    },
    async appendToStream(streamId, events, options) {
      const tally = currentUsageTally();
      if (!tally) return inner.appendToStream(streamId, events, options);
      tally.storeWrites += 1;
      let newVersion: number | undefined;
      try {
        newVersion = await inner.appendToStream(streamId, events, options);
        return newVersion;
      } finally {
        // Each event as stored: its envelope, with the stream id and the version it got (or would have got).
        const { expectedVersion } = options;
        const first = newVersion !== undefined ? newVersion - events.length + 1 : typeof expectedVersion === 'number' ? expectedVersion + 1 : 1;
        events.forEach((event, index) => {
          const bytes = jsonBytes({ ...event, streamId, version: first + index });
          tally.storeBytesWritten += bytes;
          tally.eventsWritten += 1;
          tally.estimatedRequestUnits += estimateRequestUnits(requestUnits, 'write', bytes);
        });
      }
    },
  };
}

/** The message sender, counting every message sent during a measured invocation. */
export function meteredMessageSender(inner: MessageSender): MessageSender {
  return {
    send(queue, message) {
      const tally = currentUsageTally();
      if (tally) tally.messagesSent += 1;
      return inner.send(queue, message);
    },
  };
}
