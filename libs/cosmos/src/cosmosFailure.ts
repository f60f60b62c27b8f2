import type { OperationResponse } from '@azure/cosmos';
import { PermanentError, TransientError, type CommandflowError } from '@commandflow/events';

/**
 * The status of a failed request: the SDK error's numeric `code`. Undefined for network faults,
 * client-side errors, and any error of a batch request (the SDK rethrows those without a status).
 */
export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * The operation that failed a transactional batch, or undefined if the batch succeeded. Cosmos DB
 * answers a failed batch with the failing operation's own status (409, 413, …) and 424 (failed
 * dependency) for every other operation, none of which was applied.
 */
export function failedBatchOperation(results: readonly OperationResponse[]): OperationResponse | undefined {
  const failed = results.filter((result) => result.statusCode >= 400);
  return failed.find((result) => result.statusCode !== 424) ?? failed[0];
}

/** Throttled after the SDK's retries, timed out, gone, unavailable: trying the step again may succeed. */
const transientStatusCodes = new Set([408, 410, 429, 449, 500, 502, 503, 504]);

/**
 * Wraps a failed request as a CommandflowError naming what it was for (`subject`, e.g. "stream
 * command-42"). Transient for throttling, timeouts, unavailability and network faults (no status);
 * permanent otherwise. The SDK error is kept as `cause`.
 */
export function cosmosRequestError(
  subject: string,
  statusCode: number | undefined,
  cause: unknown,
  details: Readonly<Record<string, unknown>> = {},
): CommandflowError {
  const reason = cause instanceof Error ? cause.message.split('\n', 1)[0] : String(cause);
  const message = `Cosmos DB request for ${subject} failed (status ${statusCode ?? 'none'}): ${reason}`;
  const allDetails = { ...details, statusCode };
  const error =
    statusCode === undefined || transientStatusCodes.has(statusCode)
      ? new TransientError('cosmos_request_failed', message, allDetails)
      : new PermanentError('cosmos_request_failed', message, allDetails);
  error.cause = cause;
  return error;
}
