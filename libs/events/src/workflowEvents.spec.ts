import { EventSchemaError } from './errors';
import type { EventEnvelope } from './envelope';
import { workflowEventCodec } from './workflowEvents';

const stored = (overrides: Partial<EventEnvelope> & { schemaVersion?: number } = {}): EventEnvelope => {
  const { schemaVersion = 2, ...rest } = overrides;
  return {
    eventId: 'e-1',
    streamId: 'command-1',
    version: 1,
    type: 'CommandCreated',
    data: { commandType: 'create-league', actor: 'ada', source: 'http' },
    metadata: {
      commandId: '1',
      correlationId: 'corr',
      causationId: 'req',
      actor: 'ada',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion,
    },
    ...rest,
  };
};

describe('workflowEventCodec', () => {
  it('decodes a well-formed event into the typed union', () => {
    const event = workflowEventCodec.decode(stored());
    expect(event.type).toBe('CommandCreated');
    expect(event.data).toEqual({ commandType: 'create-league', actor: 'ada', source: 'http' });
  });

  it('upcasts a CommandCreated of schemaVersion 1 (requestedBy, no source) to version 2', () => {
    const event = workflowEventCodec.decode(
      stored({ schemaVersion: 1, data: { commandType: 'create-league', requestedBy: 'grace' } }),
    );
    expect(event).toMatchObject({
      type: 'CommandCreated',
      data: { commandType: 'create-league', actor: 'grace', source: 'http' },
      metadata: { schemaVersion: 2 },
    });
  });

  it.each([
    ['an unknown type', stored({ type: 'CommandTeleported' }), /command-7 version 3 \(CommandTeleported\): unknown event type/],
    ['malformed data', stored({ data: { commandType: 'x', actor: 'a', source: 'carrier-pigeon' } }), /command-7 version 3 \(CommandCreated\): malformed data/],
    ['a malformed envelope', stored({ metadata: { occurredAt: 'yesterday' } as never }), /command-7 version 3 \(CommandCreated\): malformed envelope/],
    ['a newer schemaVersion than the code knows', stored({ schemaVersion: 3 }), /schemaVersion 3 is newer/],
    ['a version 1 event that does not match version 1', stored({ schemaVersion: 1, data: { actor: 'a' } }), /CommandCreated/],
  ])('rejects %s with an error naming stream, version and type', (_label, event, message) => {
    const attempt = () => workflowEventCodec.decode({ ...event, streamId: 'command-7', version: 3 });
    expect(attempt).toThrow(EventSchemaError);
    expect(attempt).toThrow(message);
  });

  it('accepts any JSON as a parameter value and rejects what is not JSON', () => {
    const parameter = (value: unknown) =>
      workflowEventCodec.decode(stored({ type: 'ParameterSet', data: { name: 'p', value }, schemaVersion: 1 }));
    expect(parameter({ nested: [1, 'two', null, { deep: true }] }).data).toEqual({ name: 'p', value: { nested: [1, 'two', null, { deep: true }] } });
    expect(() => parameter(undefined)).toThrow(/malformed data/);
  });

  it('tells the schemaVersion to write, and refuses an unregistered type', () => {
    expect(workflowEventCodec.schemaVersionOf('CommandCreated')).toBe(2);
    expect(workflowEventCodec.schemaVersionOf('ParameterSet')).toBe(1);
    expect(() => workflowEventCodec.schemaVersionOf('Nope')).toThrow(/Unknown event type Nope/);
  });
});
