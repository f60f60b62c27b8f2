import { ConcurrencyError, ValidationError, type NewEvent } from '@commandflow/events';
import type { ExpectedVersion, ReadStreamOptions } from './eventStore';

/** Default largest serialised event, in bytes (Cosmos DB's item limit is 2 MiB; we stay well under). */
export const defaultMaxEventBytes = 256 * 1024;

const utf8 = new TextEncoder();
const streamIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/** Stream ids: 1–200 characters of letters, digits, `.`, `_`, `:` and `-`, starting with a letter or digit. */
export function assertValidStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || !streamIdPattern.test(streamId)) {
    throw new ValidationError(
      'invalid_stream_id',
      `Invalid stream id ${JSON.stringify(streamId)}: use 1-200 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
      { streamId },
    );
  }
}

/**
 * Checks an append before any adapter writes: a valid stream id and expected version, at least
 * one event, none over `maxEventBytes`. Returns each event serialised, for adapters that store JSON.
 */
export function checkAppend(
  streamId: string,
  events: readonly NewEvent[],
  expectedVersion: ExpectedVersion,
  maxEventBytes: number,
): string[] {
  assertValidStreamId(streamId);
  if (!(expectedVersion === 'any' || expectedVersion === 'no-stream' || (Number.isInteger(expectedVersion) && expectedVersion >= 0))) {
    throw new ValidationError('invalid_expected_version', `Invalid expected version ${String(expectedVersion)} for stream ${streamId}`, {
      streamId,
    });
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new ValidationError('empty_append', `Nothing to append to stream ${streamId}: pass at least one event`, { streamId });
  }
  return events.map((event, index) => {
    const json = JSON.stringify(event);
    const bytes = utf8.encode(json).length;
    if (bytes > maxEventBytes) {
      throw new ValidationError(
        'event_too_large',
        `Event ${index} (${event.type}) for stream ${streamId} is ${bytes} bytes; the limit is ${maxEventBytes}`,
        { streamId, index, bytes, maxEventBytes },
      );
    }
    return json;
  });
}

/** Throws ConcurrencyError unless a stream at `actualVersion` satisfies `expectedVersion`. */
export function assertExpectedVersion(streamId: string, expectedVersion: ExpectedVersion, actualVersion: number): void {
  const satisfied =
    expectedVersion === 'any' || (expectedVersion === 'no-stream' ? actualVersion === 0 : expectedVersion === actualVersion);
  if (!satisfied) throw new ConcurrencyError(streamId, expectedVersion, actualVersion);
}

/** The inclusive version range a read asks for, with defaults filled in. */
export function versionRange({ fromVersion = 1, toVersion = Number.MAX_SAFE_INTEGER }: ReadStreamOptions = {}): {
  from: number;
  to: number;
} {
  return { from: Math.max(1, fromVersion), to: toVersion };
}
