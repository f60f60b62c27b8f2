/**
 * The one base error of commandflow. `code` is stable and machine-readable; `retryable` says
 * whether running the same step again may succeed (transient) or never will (permanent).
 */
export class CommandflowError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that can never be accepted: a bad stream id, an empty append, a malformed event. */
export class ValidationError extends CommandflowError {
  constructor(code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, false, details);
  }
}

/** Something asked for does not exist (a stream, a command type). */
export class NotFoundError extends CommandflowError {
  constructor(code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, false, details);
  }
}

/** The operation is not allowed in the current state; `retryable` when a later state may allow it. */
export class IllegalStateError extends CommandflowError {
  constructor(code: string, message: string, retryable: boolean, details?: Readonly<Record<string, unknown>>) {
    super(code, message, retryable, details);
  }
}

/** An append lost an optimistic-concurrency race: someone else wrote first. Re-read and decide again. */
export class ConcurrencyError extends CommandflowError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number | 'no-stream' | 'any',
    readonly actualVersion: number,
  ) {
    super(
      'concurrency_conflict',
      `Stream ${streamId}: expected version ${String(expectedVersion)}, but it is at ${actualVersion}`,
      true,
      { streamId, expectedVersion, actualVersion },
    );
  }
}

/** A failure that may go away if tried again (a timeout, a throttled dependency). */
export class TransientError extends CommandflowError {
  constructor(code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, true, details);
  }
}

/** A failure that retrying will not fix (a business rule, a rejected request). */
export class PermanentError extends CommandflowError {
  constructor(code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, false, details);
  }
}

/** A stored event that cannot be read back: unknown type, malformed data or envelope. */
export class EventSchemaError extends CommandflowError {
  constructor(
    readonly streamId: string,
    readonly version: number,
    readonly type: string,
    reason: string,
  ) {
    super('event_schema', `Stream ${streamId} version ${version} (${type}): ${reason}`, false, {
      streamId,
      version,
      type,
    });
  }
}

/**
 * A queue message no step can act on: not a step message, a command that does not exist, a stream
 * that cannot be read back. Retrying cannot help and there is no command to record a failure on:
 * the delivery policy dead-letters it with this error's code as the reason.
 */
export class PoisonMessageError extends CommandflowError {
  constructor(code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, false, details);
  }
}

export const isCommandflowError = (error: unknown): error is CommandflowError => error instanceof CommandflowError;
export const isConcurrencyError = (error: unknown): error is ConcurrencyError => error instanceof ConcurrencyError;
export const isValidationError = (error: unknown): error is ValidationError => error instanceof ValidationError;
export const isPoisonMessageError = (error: unknown): error is PoisonMessageError => error instanceof PoisonMessageError;
export const isNotFoundError = (error: unknown): error is NotFoundError => error instanceof NotFoundError;

/** Unknown errors (bugs, network faults) count as transient: a retry is safe, every step is idempotent. */
export const isRetryable = (error: unknown): boolean => !isCommandflowError(error) || error.retryable;
