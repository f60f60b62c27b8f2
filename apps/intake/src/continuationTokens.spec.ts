import { continuationKeyFrom, continuationTokens } from './continuationTokens';

describe('continuation tokens', () => {
  const tokens = continuationTokens('k'.repeat(32));
  const filter = { status: 'Completed', commandType: 'create-league' };

  it('seal a store token opaquely and open it again under the same filter', () => {
    const sealed = tokens.seal('{"createdAt":"2026-01-01","id":"c-1"}', filter);
    expect(sealed).not.toContain('createdAt');
    expect(tokens.open(sealed, { ...filter })).toBe('{"createdAt":"2026-01-01","id":"c-1"}');
  });

  it.each([
    ['another filter', (t: string) => t, { status: 'Invalid', commandType: 'create-league' }],
    ['no filter', (t: string) => t, {}],
    ['an altered payload', (t: string) => `A${t}`, filter],
    ['an altered signature', (t: string) => `${t.slice(0, -2)}AA`, filter],
    ['no signature', (t: string) => t.split('.')[0] as string, filter],
    ['an extra part', (t: string) => `${t}.x`, filter],
    ['another key', (t: string) => continuationTokens('z'.repeat(32)).seal(tokens.open(t, filter), filter), filter],
    ['an overlong token', (t: string) => t + 'A'.repeat(5_000), filter],
  ])('refuse %s with invalid_continuation', (_name, alter, used) => {
    const sealed = tokens.seal('page-2', filter);
    expect(() => tokens.open(alter(sealed), used)).toThrow(expect.objectContaining({ code: 'invalid_continuation' }));
  });

  it('take their key from COMMANDFLOW_CONTINUATION_KEY (at least 32 characters), else a random one', () => {
    expect(continuationKeyFrom({ COMMANDFLOW_CONTINUATION_KEY: 's'.repeat(40) })).toBe('s'.repeat(40));
    expect(() => continuationKeyFrom({ COMMANDFLOW_CONTINUATION_KEY: 'short' })).toThrow('Setting COMMANDFLOW_CONTINUATION_KEY must be at least 32 characters');
    expect(continuationKeyFrom({})).toHaveLength(32);
  });
});
