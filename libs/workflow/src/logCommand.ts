import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError, commandSources, type CommandSource, type Json } from '@commandflow/events';
import { queueNames } from '@commandflow/topology';
import type { Step } from './step';
import { runStep, type StepOutcome } from './stepRunner';
import type { WorkflowDependencies } from './workflowDependencies';

/** A command as it comes in, before anything is written. */
export interface CommandRequest {
  readonly commandType: string;
  /** Parameter values by name: any JSON. Unknown or invalid ones are recorded, then fail validation. */
  readonly parameters: Readonly<Record<string, Json>>;
  readonly actor: string;
  readonly source: CommandSource;
  /** The same key and type again finds the existing command instead of creating one. */
  readonly idempotencyKey?: string;
  readonly correlationId?: string;
  /** The request or event that brought the command in. */
  readonly causationId?: string;
  /** W3C trace context of the request; it flows with the command's messages into the next steps. */
  readonly traceparent?: string;
}

const commandRequestSchema = z.object({
  commandType: z.string().min(1),
  parameters: z.record(z.string().min(1).max(200), z.json()),
  actor: z.string().min(1).max(500),
  source: z.enum(commandSources),
  idempotencyKey: z.string().min(1).max(200).optional(),
  correlationId: z.string().min(1).max(200).optional(),
  causationId: z.string().min(1).max(200).optional(),
  traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/).optional(),
});

/** Log: a new stream with CommandCreated and one ParameterSet per parameter; then on to validation. */
export const logStep: Step<CommandRequest> = {
  name: 'log',
  pendingStatus: 'Empty',
  decide(state, request) {
    if (state.status !== 'Empty') return { events: [], ...(state.status === 'Created' ? { next: queueNames.validate } : {}) };
    const { commandType, actor, source, idempotencyKey, parameters } = request;
    return {
      events: [
        { type: 'CommandCreated', data: { commandType, actor, source, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) } },
        ...Object.entries(parameters).map(([name, value]) => ({ type: 'ParameterSet' as const, data: { name, value } })),
      ],
      next: queueNames.validate,
    };
  },
};

export interface LogOutcome extends StepOutcome {
  /** False when the idempotency key found an existing command. */
  readonly created: boolean;
}

/**
 * Logs a command: checks the request (unknown type or bad shape: an error, nothing written),
 * writes its stream and sends `{ commandId }` to the validate queue.
 */
export async function logCommand(deps: WorkflowDependencies, request: CommandRequest): Promise<LogOutcome> {
  const checked = commandRequestSchema.safeParse(request);
  if (!checked.success) {
    throw new ValidationError('invalid_command_request', `Invalid command request: ${z.prettifyError(checked.error)}`, {
      issues: checked.error.issues.map(({ path, message }) => ({ path: path.join('.'), message })),
    });
  }
  deps.catalogue.get(request.commandType);
  const commandId =
    request.idempotencyKey === undefined ? deps.newId() : commandIdForIdempotencyKey(request.commandType, request.idempotencyKey);
  const outcome = await runStep(deps, logStep, commandId, request, {
    causationId: request.causationId ?? commandId,
    correlationId: request.correlationId ?? commandId,
    actor: request.actor,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
  });
  return { ...outcome, created: outcome.appended.length > 0 };
}

/**
 * The command id an idempotency key stands for: a name-based (v5-style) UUID of type and key, so
 * that a repeated request lands on the same stream and finds it written. No lookup table needed.
 */
export function commandIdForIdempotencyKey(commandType: string, idempotencyKey: string): string {
  const bytes = createHash('sha1').update(`commandflow:${commandType}:${idempotencyKey}`).digest().subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6); // version 5
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8); // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
