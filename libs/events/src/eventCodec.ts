import { z } from 'zod';
import type { EventEnvelope } from './envelope';
import { EventSchemaError } from './errors';

/** How one event type is read back: its current data schema and how older versions are upcast. */
export interface EventSchema<Data> {
  /** The schemaVersion this code writes. */
  readonly schemaVersion: number;
  readonly data: z.ZodType<Data>;
  /** `upcasters[v]` turns data written at schemaVersion `v` into data of version `v + 1`. */
  readonly upcasters?: Readonly<Record<number, (data: unknown) => unknown>>;
}

export type EventSchemas = Readonly<Record<string, EventSchema<unknown>>>;

/** The decoded union of a registry: one envelope type per event type. */
export type EventOf<Schemas extends EventSchemas> = {
  [Type in keyof Schemas & string]: EventEnvelope<Type, Schemas[Type] extends EventSchema<infer Data> ? Data : never>;
}[keyof Schemas & string];

const envelopeSchema = z.object({
  eventId: z.string().min(1),
  streamId: z.string().min(1),
  version: z.number().int().positive(),
  type: z.string().min(1),
  data: z.unknown(),
  metadata: z.object({
    commandId: z.string(),
    correlationId: z.string(),
    causationId: z.string(),
    actor: z.string(),
    occurredAt: z.string().datetime({ offset: true }),
    schemaVersion: z.number().int().positive(),
    traceparent: z.string().optional(),
  }),
});

/** Reads stored events back into a typed union: validates, upcasts, and names what is wrong. */
export interface EventCodec<Schemas extends EventSchemas> {
  readonly types: readonly (keyof Schemas & string)[];
  /** The schemaVersion to write for `type`; throws for a type the registry does not know. */
  schemaVersionOf(type: string): number;
  /** Throws EventSchemaError naming the stream, version and type of a malformed or unknown event. */
  decode(stored: EventEnvelope): EventOf<Schemas>;
  decodeAll(stored: readonly EventEnvelope[]): EventOf<Schemas>[];
}

/** Binds a registry of event schemas into a codec. */
export function eventCodec<const Schemas extends EventSchemas>(schemas: Schemas): EventCodec<Schemas> {
  const decode = (stored: EventEnvelope): EventOf<Schemas> => {
    const fail = (reason: string): never => {
      throw new EventSchemaError(String(stored?.streamId), Number(stored?.version), String(stored?.type), reason);
    };
    const envelope = envelopeSchema.safeParse(stored);
    if (!envelope.success) return fail(`malformed envelope: ${z.prettifyError(envelope.error)}`);
    const { type, metadata } = envelope.data;
    const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
    if (!schema) return fail('unknown event type');
    if (metadata.schemaVersion > schema.schemaVersion) {
      return fail(`schemaVersion ${metadata.schemaVersion} is newer than this code reads (${schema.schemaVersion})`);
    }
    let data = envelope.data.data;
    for (let version = metadata.schemaVersion; version < schema.schemaVersion; version++) {
      const upcast = schema.upcasters?.[version];
      if (!upcast) return fail(`no upcaster from schemaVersion ${version}`);
      try {
        data = upcast(data);
      } catch (error) {
        return fail(`upcasting from schemaVersion ${version} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const parsed = schema.data.safeParse(data);
    if (!parsed.success) return fail(`malformed data: ${z.prettifyError(parsed.error)}`);
    return {
      ...envelope.data,
      data: parsed.data,
      metadata: { ...metadata, schemaVersion: schema.schemaVersion },
    } as EventOf<Schemas>;
  };
  return {
    types: Object.keys(schemas) as (keyof Schemas & string)[],
    schemaVersionOf: (type) => {
      const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
      if (!schema) throw new Error(`Unknown event type ${type}: add it to the event registry`);
      return schema.schemaVersion;
    },
    decode,
    decodeAll: (stored) => stored.map(decode),
  };
}
