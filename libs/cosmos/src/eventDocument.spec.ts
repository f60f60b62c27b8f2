import type { NewEvent } from '@commandflow/events';
import { eventDocumentId, eventFromDocument, toEventDocument } from './eventDocument';

const newEvent: NewEvent = {
  eventId: 'e-1',
  type: 'CommandCreated',
  data: { commandType: 'CreateLeague' },
  metadata: {
    commandId: 'c-1',
    correlationId: 'corr-1',
    causationId: 'c-1',
    actor: 'tester',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 2,
  },
};

describe('event documents', () => {
  it('pads ids to 10 digits so they sort like versions', () => {
    expect(eventDocumentId(42)).toBe('0000000042');
    expect([eventDocumentId(10), eventDocumentId(9), eventDocumentId(100)].sort()).toEqual([
      eventDocumentId(9),
      eventDocumentId(10),
      eventDocumentId(100),
    ]);
  });

  it('stores the envelope with type at the top level, and reads it back from a change-feed document', () => {
    const document = toEventDocument('command-c-1', 7, newEvent);
    expect(document).toEqual({ id: '0000000007', streamId: 'command-c-1', version: 7, ...newEvent });
    const fromFeed = { ...document, _rid: 'abc', _self: 'dbs/x', _etag: '"0a"', _attachments: 'attachments/', _ts: 1767225600, _lsn: 12 };
    expect(eventFromDocument(fromFeed)).toEqual({ streamId: 'command-c-1', version: 7, ...newEvent });
  });
});
