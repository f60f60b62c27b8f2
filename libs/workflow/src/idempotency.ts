import { createHash } from 'node:crypto';
import { v5 as uuidV5 } from 'uuid';
import { CommandflowError, type CommandSource, type Json } from '@commandflow/events';
import type { CommandState } from '@commandflow/projections';

/** The namespace of name-based command ids (RFC 9562 UUID v5); fixed forever, or keys would find other streams. */
const commandIdNamespace = '6f1b7c2e-3a4d-4e8f-9b0a-5c6d7e8f9a0b';

/** Whose key it is: keys of different scopes never meet, so one caller cannot find or squat on another's command. */
export interface IdempotencyScope {
  /** Where the key comes from: HTTP Idempotency-Key headers and Event Grid event ids live apart. */
  readonly source: CommandSource;
  /** The caller within that source: the actor for HTTP, the topic for Event Grid. */
  readonly owner: string;
}

/**
 * The command id an idempotency key stands for: a name-based UUID (v5) of the key's scope, the
 * command type and the key, so a repeated request lands on the same stream and finds it written.
 * No lookup table needed.
 */
export function commandIdForIdempotencyKey(scope: IdempotencyScope, commandType: string, idempotencyKey: string): string {
  // JSON keeps the parts apart: no choice of owner or key can collide with another split.
  return uuidV5(JSON.stringify([scope.source, scope.owner, commandType, idempotencyKey]), commandIdNamespace);
}

/**
 * The fingerprint of a request (IETF Idempotency-Key draft): SHA-256 over its command type and
 * parameters in a canonical JSON form (keys sorted), so the same body in any key order matches.
 * The parameters must already be within the input limits (their depth bounds the recursion).
 */
export function requestFingerprint(commandType: string, parameters: Readonly<Record<string, Json>>): string {
  return `sha256:${createHash('sha256').update(canonicalJson([commandType, parameters])).digest('base64url')}`;
}

function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as Json)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An idempotency key reused with a different request (HTTP 422). */
export class IdempotencyKeyReusedError extends CommandflowError {
  constructor(idempotencyKey: string, commandId: string) {
    super(
      'idempotency_key_reused',
      `The Idempotency-Key ${JSON.stringify(idempotencyKey)} was already used for command ${commandId} with a different command type or parameters; use a new key for a new request`,
      false,
      { idempotencyKey, commandId },
    );
  }
}

export const isIdempotencyKeyReusedError = (error: unknown): error is IdempotencyKeyReusedError => error instanceof IdempotencyKeyReusedError;

/**
 * Throws IdempotencyKeyReusedError when a keyed request found a command written for a different
 * request. A command recorded before fingerprints were kept matches any request.
 */
export function assertSameRequest(state: CommandState, idempotencyKey: string, fingerprint: string): void {
  if (state.status === 'Empty' || state.requestFingerprint === undefined) return;
  if (state.requestFingerprint !== fingerprint) throw new IdempotencyKeyReusedError(idempotencyKey, state.commandId);
}
