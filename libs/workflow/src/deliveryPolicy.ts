import { defaultQueueSettings } from '@commandflow/topology';
import { EventSchemaError, isCommandflowError, isPoisonMessageError, isRetryable } from '@commandflow/events';

/** How a queue-triggered step treats a failed delivery; the same numbers on every host. */
export interface DeliveryPolicy {
  /** The attempt on which a step gives up: the queue's maxDeliveryCount. Default 10. */
  readonly maxAttempts: number;
  /** The back-off before the second attempt, in ms; it doubles for each attempt after. Default 1 000. */
  readonly baseDelayMs: number;
  /** The longest back-off, in ms. Default 300 000 (five minutes). */
  readonly maxDelayMs: number;
}

/** The defaults: as many attempts as the queues' maxDeliveryCount, 1 s doubling up to five minutes. */
export const defaultDeliveryPolicy: DeliveryPolicy = { maxAttempts: defaultQueueSettings.maxDeliveryCount, baseDelayMs: 1_000, maxDelayMs: 300_000 };

/** How a delivery ended: the step's outcome, or the error it threw. */
export type DeliveryResult = Readonly<{ ok: true }> | Readonly<{ ok: false; error: unknown }>;

/** What to do with a delivered message once its step has run. */
export type DeliveryVerdict =
  /** Done: remove the message. */
  | Readonly<{ action: 'complete' }>
  /** Try again later: schedule a copy `delayMs` from now (attempt + 1), then remove this message. */
  | Readonly<{ action: 'retry'; delayMs: number }>
  /** Nothing to act on, ever: move the message to the dead-letter queue with a reason. */
  | Readonly<{ action: 'dead-letter'; reason: string; description: string }>
  /** Give up on the command: record its terminal event (CommandFailed, with this failure), then remove the message. */
  | Readonly<{ action: 'give-up'; code: string; message: string }>;

/**
 * The one delivery policy of every host (the local host, the in-memory workflow, the Functions
 * host on Azure):
 *
 * | the step                                   | before the last attempt | on the last attempt |
 * | ------------------------------------------ | ----------------------- | ------------------- |
 * | succeeded                                  | complete                | complete            |
 * | threw a poison error (no step message, no such command, unreadable stream) | dead-letter | dead-letter |
 * | threw a transient error (retryable)        | retry later (back-off)  | give up             |
 * | threw a permanent error                    | give up                 | give up             |
 *
 * Errors that are not commandflow errors count as transient (a retry is safe: every step is idempotent).
 */
export function deliveryVerdict(result: DeliveryResult, attempt: number, policy: DeliveryPolicy): DeliveryVerdict {
  if (result.ok) return { action: 'complete' };
  const { error } = result;
  const code = isCommandflowError(error) ? error.code : 'unhandled_error';
  const message = error instanceof Error ? error.message : String(error);
  if (isPoisonMessageError(error) || error instanceof EventSchemaError) return { action: 'dead-letter', reason: code, description: message };
  if (isRetryable(error) && attempt < policy.maxAttempts) return { action: 'retry', delayMs: backOffMs(attempt, policy) };
  return { action: 'give-up', code, message };
}

/** The wait after a failed `attempt` (1-based): baseDelayMs, doubling, at most maxDelayMs. */
export function backOffMs(attempt: number, { baseDelayMs, maxDelayMs }: DeliveryPolicy): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 52));
}
