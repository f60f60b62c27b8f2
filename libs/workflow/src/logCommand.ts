import { z } from 'zod';
import { ValidationError, assertParametersWithinLimits, commandSources, type CommandSource, type Json } from '@commandflow/events';
import { queueNames } from '@commandflow/topology';
import { assertSameRequest, commandIdForIdempotencyKey, requestFingerprint } from './idempotency';
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
  /**
   * The same key, type and scope again finds the existing command instead of creating one (with
   * a different type or parameters: IdempotencyKeyReusedError). Keys are scoped to the source and
   * to `idempotencyScope`.
   */
  readonly idempotencyKey?: string;
  /** Whose key it is within its source: the Event Grid topic, say. Default: the actor. */
  readonly idempotencyScope?: string;
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
  idempotencyScope: z.string().min(1).max(500).optional(),
  correlationId: z.string().min(1).max(200).optional(),
  causationId: z.string().min(1).max(200).optional(),
  traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/).optional(),
});

/** A request on its way into the log, with the fingerprint of a keyed one. */
export type LoggedRequest = CommandRequest & { readonly requestFingerprint?: string };

/** Log: a new stream with CommandCreated and one ParameterSet per parameter; then on to validation. */
export const logStep: Step<LoggedRequest> = {
  name: 'log',
  pendingStatus: 'Empty',
  decide(state, request) {
    if (state.status !== 'Empty') return { events: [], ...(state.status === 'Created' ? { next: queueNames.validate } : {}) };
    const { commandType, actor, source, idempotencyKey, requestFingerprint, parameters } = request;
    const keyed = idempotencyKey === undefined ? {} : { idempotencyKey, ...(requestFingerprint === undefined ? {} : { requestFingerprint }) };
    return {
      events: [
        { type: 'CommandCreated', data: { commandType, actor, source, ...keyed } },
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
  if (typeof request.parameters === 'object' && request.parameters !== null) assertParametersWithinLimits(request.parameters);
  const checked = commandRequestSchema.safeParse(request);
  if (!checked.success) {
    throw new ValidationError('invalid_command_request', `Invalid command request: ${z.prettifyError(checked.error)}`, {
      issues: checked.error.issues.map(({ path, message }) => ({ path: path.join('.'), message })),
    });
  }
  deps.catalogue.get(request.commandType);
  const { idempotencyKey } = request;
  const fingerprint = idempotencyKey === undefined ? undefined : requestFingerprint(request.commandType, request.parameters);
  const commandId =
    idempotencyKey === undefined
      ? deps.newId()
      : commandIdForIdempotencyKey({ source: request.source, owner: request.idempotencyScope ?? request.actor }, request.commandType, idempotencyKey);
  const outcome = await runStep(deps, logStep, commandId, { ...request, ...(fingerprint === undefined ? {} : { requestFingerprint: fingerprint }) }, {
    causationId: request.causationId ?? commandId,
    correlationId: request.correlationId ?? commandId,
    actor: request.actor,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
  });
  const created = outcome.appended.length > 0;
  if (!created && idempotencyKey !== undefined && fingerprint !== undefined) assertSameRequest(outcome.state, idempotencyKey, fingerprint);
  return { ...outcome, created };
}
