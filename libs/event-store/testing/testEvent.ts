import type { NewEvent } from '@commandflow/events';

/**
 * A well-formed event for tests of stores and feeds: type `Happened` with data `{ n }` unless
 * told otherwise, event id `e-<n>`, and metadata that is the same for every event but its time.
 */
export function testEvent(n = 0, { type = 'Happened', data = { n } }: { readonly type?: string; readonly data?: unknown } = {}): NewEvent {
  return {
    eventId: `e-${n}`,
    type,
    data,
    metadata: {
      commandId: 'c-1',
      correlationId: 'c-1',
      causationId: 'c-1',
      actor: 'tester',
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60)).toISOString(),
      schemaVersion: 1,
    },
  };
}

/** `count` test events, numbered from `from`. */
export const testEvents = (count: number, from = 0, type?: string): NewEvent[] =>
  Array.from({ length: count }, (_, i) => testEvent(from + i, type === undefined ? {} : { type }));
