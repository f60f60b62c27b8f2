import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ValidationError, readSettings, settingText, type Environment } from '@commandflow/events';

/** The app setting that holds the key continuation tokens are signed with (at least 32 characters). */
export const continuationKeySetting = 'COMMANDFLOW_CONTINUATION_KEY';

/** Longest continuation token accepted, in characters. */
export const maxContinuationLength = 4096;

/** What a page of the command list was asked for; a token only continues the listing that issued it. */
export interface ListFilter {
  readonly status?: string;
  readonly commandType?: string;
}

/**
 * Opaque, signed continuation tokens around whatever token a list store returns: the caller sees
 * `<payload>.<HMAC-SHA256>`, and a token that was altered, or that comes back with another filter,
 * is refused (400 `invalid_continuation`). The stores' own tokens stay simple.
 */
export interface ContinuationTokens {
  seal(storeToken: string, filter: ListFilter): string;
  /** The store's token inside `token`; throws ValidationError when it was not issued for this filter by this key. */
  open(token: string, filter: ListFilter): string;
}

export function continuationTokens(key: string | Buffer): ContinuationTokens {
  const mac = (payload: string, filter: ListFilter) =>
    createHmac('sha256', key)
      .update(JSON.stringify([payload, filter.status ?? null, filter.commandType ?? null]))
      .digest();
  const invalid = () =>
    new ValidationError('invalid_continuation', 'The continuation token is not one this listing issued: start again without it, with the same filters for every page');
  return {
    seal(storeToken, filter) {
      const payload = Buffer.from(storeToken, 'utf8').toString('base64url');
      return `${payload}.${mac(payload, filter).toString('base64url')}`;
    },
    open(token, filter) {
      if (token.length > maxContinuationLength) throw invalid();
      const [payload, signature, ...rest] = token.split('.');
      if (payload === undefined || signature === undefined || rest.length > 0) throw invalid();
      const expected = mac(payload, filter);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      return Buffer.from(payload, 'base64url').toString('utf8');
    },
  };
}

/**
 * The signing key from `COMMANDFLOW_CONTINUATION_KEY`; without it, a random key for this process
 * (tokens then stop working when the process restarts, and across instances: set it on Azure).
 */
export function continuationKeyFrom(env: Environment): string | Buffer {
  return readSettings(continuationKeyEnvironment, env)[continuationKeySetting] ?? randomBytes(32);
}

const continuationKeyEnvironment = z.object({
  [continuationKeySetting]: settingText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
});
