import { z } from 'zod';
import { NotFoundError, type EventDraft, type EventEnvelope, type Json, type ValidationIssue } from '@commandflow/events';
import type { EventStore } from '@commandflow/event-store';

/** What a command's validate and execute get from the workflow. */
export interface CommandContext {
  /** The command's id; also the idempotency key of its side effects. */
  readonly commandId: string;
  readonly commandType: string;
  readonly actor: string;
  readonly correlationId: string;
  /** The injected clock. */
  now(): Date;
  /** Read domain streams (write them through `recordOnce`). */
  readonly eventStore: EventStore;
  /**
   * Appends the events `decide` returns to a domain stream, once per command: if the stream
   * already holds events caused by this command (an earlier attempt got that far), nothing is
   * appended and those events are returned. Events carry the command id as causation id.
   */
  recordOnce(
    streamId: string,
    decide: (existing: readonly EventEnvelope[]) => readonly EventDraft[],
    options?: { readonly schemaVersionOf?: (type: string) => number },
  ): Promise<RecordOnceResult>;
}

export interface RecordOnceResult {
  /** The events this command caused in the stream. */
  readonly events: readonly EventEnvelope[];
  /** True when an earlier attempt had already recorded them. */
  readonly alreadyRecorded: boolean;
}


export interface CommandDefinition<Params = unknown, Result extends Json | void = Json | void> {
  /** kebab-case, e.g. `create-league`; the route `POST /api/commands/{type}`. */
  readonly type: string;
  readonly description: string;
  /** The parameters' schema; its failures are recorded as fatal validation errors. */
  readonly parameters: z.ZodType<Params>;
  /** Business rules, run only when the parameters match the schema. */
  validate?(params: Params, ctx: CommandContext): readonly ValidationIssue[] | Promise<readonly ValidationIssue[]>;
  /**
   * Performs the command. Throw a retryable error (TransientError) to be retried by the trigger,
   * a permanent one (PermanentError) to end the workflow with CommandFailed.
   */
  execute(params: Params, ctx: CommandContext): Result | Promise<Result>;
}

/** Declares a command, typed end to end from its parameter schema. */
export function defineCommand<Params, Result extends Json | void>(
  definition: CommandDefinition<Params, Result>,
): CommandDefinition<Params, Result> {
  return definition;
}

/** How a command type is described to clients (`GET /api/command-types`). */
export interface CommandTypeDescription {
  readonly type: string;
  readonly description: string;
  /** JSON Schema of the parameters object. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** The commands an installation knows, found by type. */
export class CommandCatalogue {
  private readonly byType: ReadonlyMap<string, CommandDefinition>;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition keeps its own parameter type
  constructor(definitions: readonly CommandDefinition<any, any>[]) {
    const byType = new Map<string, CommandDefinition>();
    for (const definition of definitions) {
      if (byType.has(definition.type)) throw new Error(`Command type ${definition.type} is defined twice`);
      byType.set(definition.type, definition as CommandDefinition);
    }
    this.byType = byType;
  }

  get types(): readonly string[] {
    return [...this.byType.keys()];
  }

  find(type: string): CommandDefinition | undefined {
    return this.byType.get(type);
  }

  /** @throws NotFoundError (code `unknown_command_type`) listing the known types. */
  get(type: string): CommandDefinition {
    const definition = this.byType.get(type);
    if (!definition) {
      throw new NotFoundError('unknown_command_type', `Unknown command type ${JSON.stringify(type)}; known types: ${this.types.join(', ')}`, {
        knownTypes: this.types,
      });
    }
    return definition;
  }

  describe(): readonly CommandTypeDescription[] {
    return [...this.byType.values()].map(({ type, description, parameters }) => ({
      type,
      description,
      parameters: z.toJSONSchema(parameters, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    }));
  }
}
