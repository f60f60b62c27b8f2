import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { isCommandflowError, isInputLimitError, isNotFoundError, isValidationError } from '@commandflow/events';
import { isIdempotencyKeyReusedError } from '@commandflow/workflow';

/** The one error body of the HTTP API: `{ error: { code, message, details? } }`. */
export function errorResponse(status: number, code: string, message: string, details?: unknown): HttpResponseInit {
  return { status, jsonBody: { error: { code, message, ...(details === undefined ? {} : { details }) } } };
}

/**
 * Maps a thrown error to a response: input over a size limit 413, other bad input 400, unknown
 * things 404, an idempotency key reused for another request 422, anything else 500 (logged).
 */
export function responseForError(error: unknown, context: InvocationContext): HttpResponseInit {
  if (isIdempotencyKeyReusedError(error)) return errorResponse(422, error.code, error.message, error.details);
  if (isInputLimitError(error) && error.tooLarge) return errorResponse(413, error.code, error.message, error.details);
  if (isValidationError(error)) return errorResponse(400, error.code, error.message, error.details);
  if (isNotFoundError(error)) return errorResponse(404, error.code, error.message, error.details);
  context.error('Request failed', error);
  const code = isCommandflowError(error) ? error.code : 'internal_error';
  return errorResponse(isCommandflowError(error) && error.retryable ? 503 : 500, code, 'The request could not be completed; try again');
}
