import { ConcurrencyError, EventSchemaError, IllegalStateError, NotFoundError, PermanentError, PoisonMessageError, TransientError } from '@commandflow/events';
import { backOffMs, deliveryVerdict, type DeliveryPolicy } from './deliveryPolicy';

const policy: DeliveryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const failed = (error: unknown) => ({ ok: false, error }) as const;

describe('the delivery policy (error kind × attempt)', () => {
  const transient = new TransientError('registry_down', 'The registry is down');
  const permanent = new PermanentError('team_banned', 'This team is banned');
  const poison = new PoisonMessageError('invalid_step_message', 'Not a step message');

  it.each([
    ['success', { ok: true } as const, 1, { action: 'complete' }],
    ['success', { ok: true } as const, 5, { action: 'complete' }],
    ['a poison message', failed(poison), 1, { action: 'dead-letter', reason: 'invalid_step_message', description: 'Not a step message' }],
    ['a poison message', failed(poison), 5, { action: 'dead-letter', reason: 'invalid_step_message', description: 'Not a step message' }],
    ['an unreadable stream', failed(new EventSchemaError('command-1', 2, 'X', 'unknown event type')), 1, { action: 'dead-letter', reason: 'event_schema' }],
    ['a transient error', failed(transient), 1, { action: 'retry', delayMs: 1_000 }],
    ['a transient error', failed(transient), 4, { action: 'retry', delayMs: 8_000 }],
    ['a transient error', failed(transient), 5, { action: 'give-up', code: 'registry_down', message: 'The registry is down' }],
    ['a lost append race', failed(new ConcurrencyError('command-1', 1, 2)), 2, { action: 'retry', delayMs: 2_000 }],
    ['a not-yet-validated command', failed(new IllegalStateError('not_validated', 'later', true)), 1, { action: 'retry', delayMs: 1_000 }],
    ['an unexpected error (counted as transient)', failed(new TypeError('x is undefined')), 2, { action: 'retry', delayMs: 2_000 }],
    ['an unexpected error (counted as transient)', failed(new TypeError('x is undefined')), 5, { action: 'give-up', code: 'unhandled_error', message: 'x is undefined' }],
    ['a permanent error', failed(permanent), 1, { action: 'give-up', code: 'team_banned', message: 'This team is banned' }],
    ['a permanent error', failed(permanent), 5, { action: 'give-up', code: 'team_banned', message: 'This team is banned' }],
    ['an unknown command type', failed(new NotFoundError('unknown_command_type', 'No such type')), 1, { action: 'give-up', code: 'unknown_command_type' }],
  ])('%s on attempt %#: %j', (_kind, result, attempt, verdict) => {
    expect(deliveryVerdict(result, attempt, policy)).toMatchObject(verdict);
  });

  it('backs off exponentially from baseDelayMs, capped at maxDelayMs', () => {
    expect([1, 2, 3, 4, 5, 6, 60].map((attempt) => backOffMs(attempt, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });
});
