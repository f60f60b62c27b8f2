import { leagueSlug } from './leagueEvents';
import { isEmailAddress } from './leagueRules';

describe('isEmailAddress', () => {
  it.each(['hello@lions.example', 'a@b.c', 'first.last+tag@sub.domain.example', 'x@y.z.'])('accepts %s', (address) => {
    expect(isEmailAddress(address)).toBe(true);
  });

  it.each(['', '@lions.example', 'hello@', 'hello@lions', 'hello@.example', 'hello@lions.', 'a@b@c.d', 'he llo@lions.example', 'hello@lions.exa\tmple'])(
    'rejects %j',
    (address) => {
      expect(isEmailAddress(address)).toBe(false);
    },
  );

  // Inputs that drove the former regular expression into catastrophic backtracking (85 s for 250 KB);
  // a linear check answers each at once, within the test's default timeout.
  it.each([
    ['many dots after the @', `a@${'.'.repeat(250_000)}`, true],
    ['many dots with a rejecting suffix', `a@${'.'.repeat(250_000)}@`, false],
    ['a long local part with no @', 'a'.repeat(250_000), false],
    ['a long domain ending in whitespace', `a@${'b.'.repeat(125_000)} `, false],
  ])('answers at once for %s', (_name, address, expected) => {
    expect(isEmailAddress(address)).toBe(expected);
  });
});

describe('leagueSlug', () => {
  it.each([
    ['Leeds Lions', 'leeds-lions'],
    ['  Leeds -- Lions!  ', 'leeds-lions'],
    ['Ümlaut Städte', 'umlaut-stadte'],
    ['---', ''],
    ['-', ''],
    ['a-', 'a'],
  ])('%j → %j', (name, slug) => {
    expect(leagueSlug(name)).toBe(slug);
  });

  it('answers at once for a long run of separators', () => {
    expect(leagueSlug(`${'-'.repeat(250_000)}x${' '.repeat(250_000)}`)).toBe('x');
  });
});
