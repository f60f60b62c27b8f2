import { ConfigurationError, runtimeSettingsFromEnv } from './runtimeSettings';

describe('runtimeSettingsFromEnv', () => {
  it('defaults to the embedded database, kill -9 durability and the Service Bus delivery count', () => {
    expect(runtimeSettingsFromEnv({})).toEqual({
      databasePath: './.data/commandflow.db',
      durability: 'process-crash',
      maxDeliveryCount: 10,
      lockDurationMs: 60_000,
    });
  });

  it('reads every setting', () => {
    expect(
      runtimeSettingsFromEnv({
        COMMANDFLOW_DATABASE: '/tmp/x.db',
        COMMANDFLOW_DURABILITY: 'power-loss',
        MAX_DELIVERY_COUNT: '3',
        COMMANDFLOW_LOCK_DURATION_MS: '2000',
      }),
    ).toEqual({ databasePath: '/tmp/x.db', durability: 'power-loss', maxDeliveryCount: 3, lockDurationMs: 2000 });
  });

  it.each([
    ['MAX_DELIVERY_COUNT', 'ten'],
    ['MAX_DELIVERY_COUNT', '0'],
    ['COMMANDFLOW_DURABILITY', 'sometimes'],
    ['COMMANDFLOW_LOCK_DURATION_MS', '1.5'],
  ])('stops with an error naming %s when it is %j', (setting, value) => {
    const read = () => runtimeSettingsFromEnv({ [setting]: value });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(new RegExp(`^Setting ${setting}: `));
  });
});
