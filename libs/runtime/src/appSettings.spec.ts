import { appSettingsFromEnv } from './appSettings';

describe('appSettingsFromEnv', () => {
  it('embedded: the default database, and the adapters\' own defaults for what is not set', () => {
    expect(appSettingsFromEnv({}, 'embedded')).toEqual({
      backend: 'embedded',
      delivery: { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 300_000 },
      embedded: { databasePath: './.data/commandflow.db' },
    });
  });

  it('reads every setting of the delivery policy and the embedded default', () => {
    const env = {
      MAX_DELIVERY_COUNT: '3',
      COMMANDFLOW_RETRY_DELAY: 'PT0.25S',
      COMMANDFLOW_RETRY_MAX_DELAY: 'PT2M',
      COMMANDFLOW_DATABASE: '/tmp/x.db',
      COMMANDFLOW_DURABILITY: 'power-loss',
      COMMANDFLOW_LOCK_DURATION_MS: '2500',
    };
    expect(appSettingsFromEnv(env, 'embedded')).toEqual({
      backend: 'embedded',
      delivery: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 120_000 },
      embedded: { databasePath: '/tmp/x.db', durability: 'power-loss', lockDurationMs: 2500 },
    });
  });

  it.each([
    [{ MAX_DELIVERY_COUNT: 'ten' }, /^Setting MAX_DELIVERY_COUNT must be a whole number from 1 to 2000/],
    [{ MAX_DELIVERY_COUNT: '0' }, /^Setting MAX_DELIVERY_COUNT must be a whole number/],
    [{ COMMANDFLOW_RETRY_DELAY: '5 seconds' }, /^Setting COMMANDFLOW_RETRY_DELAY must be an ISO-8601 duration/],
    [{ COMMANDFLOW_DURABILITY: 'paranoid' }, /^Setting COMMANDFLOW_DURABILITY must be process-crash or power-loss/],
    [{ COMMANDFLOW_LOCK_DURATION_MS: '1.5' }, /^Setting COMMANDFLOW_LOCK_DURATION_MS must be a whole number from 100 to 300000/],
  ])('rejects %j, naming the setting', (env, message) => {
    expect(() => appSettingsFromEnv(env, 'embedded')).toThrow(expect.objectContaining({ code: 'invalid_setting', message: expect.stringMatching(message) }));
  });
});
