import { defaultPriceTable } from '@commandflow/usage';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { usageSettingsFromEnv } from './usageMetering';

describe('the cost meter settings', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'prices-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('meter by default, with the shipped price table', () => {
    expect(usageSettingsFromEnv({})).toEqual({ metered: true, prices: defaultPriceTable });
    expect(usageSettingsFromEnv({ COMMANDFLOW_USAGE_METER: 'off' }).metered).toBe(false);
  });

  it('take another price table from COMMANDFLOW_PRICE_TABLE', () => {
    const file = path.join(dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ ...defaultPriceTable, date: '2027-01-01' }));
    expect(usageSettingsFromEnv({ COMMANDFLOW_PRICE_TABLE: file }).prices.date).toBe('2027-01-01');
  });

  it.each([
    ['a meter switch that is neither on nor off', { COMMANDFLOW_USAGE_METER: 'maybe' }, /^Setting COMMANDFLOW_USAGE_METER must be on or off/],
    ['a price table file that does not exist', { COMMANDFLOW_PRICE_TABLE: '/nonexistent/prices.json' }, /^Setting COMMANDFLOW_PRICE_TABLE names \/nonexistent\/prices.json, which is not a usable price table: ENOENT/],
  ])('stop start-up on %s, naming the setting', (_label, env, message) => {
    expect(() => usageSettingsFromEnv(env)).toThrow(message);
  });

  it('stop start-up on a price table that is not one, saying what is wrong', () => {
    const file = path.join(dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ ...defaultPriceTable, currency: 'EUR' }));
    expect(() => usageSettingsFromEnv({ COMMANDFLOW_PRICE_TABLE: file })).toThrow(/COMMANDFLOW_PRICE_TABLE names .*prices.json, which is not a usable price table: .*currency/s);
  });
});
