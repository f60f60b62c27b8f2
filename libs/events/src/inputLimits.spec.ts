import { assertJsonTextDepth, assertJsonValueWithinLimits, assertParametersWithinLimits, inputLimits } from './inputLimits';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('assertJsonTextDepth', () => {
  it('accepts nesting up to the limit and refuses one level more, without parsing', () => {
    expect(() => assertJsonTextDepth(nested(inputLimits.maxDepth))).not.toThrow();
    expect(() => assertJsonTextDepth(nested(inputLimits.maxDepth + 1))).toThrow(expect.objectContaining({ code: 'nesting_too_deep', tooLarge: false }));
    expect(() => assertJsonTextDepth(`{"a":${nested(1_000_000)}}`)).toThrow(expect.objectContaining({ code: 'nesting_too_deep' }));
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[[\\"[[[[', b: '\\\\', c: '"{{{{' });
    expect(() => assertJsonTextDepth(text, 1)).not.toThrow();
    expect(() => assertJsonTextDepth(`["\\\\",[[]]]`, 2)).toThrow(expect.objectContaining({ code: 'nesting_too_deep' }));
  });
});

describe('assertJsonValueWithinLimits and assertParametersWithinLimits', () => {
  it('walks values of any depth without recursion', () => {
    let deep: unknown = 1;
    for (let n = 0; n < 200_000; n++) deep = { d: deep };
    expect(() => assertJsonValueWithinLimits(deep, 'x')).toThrow(expect.objectContaining({ code: 'nesting_too_deep' }));
  });

  it('refuses long strings and keys, and __proto__ keys anywhere', () => {
    const long = 'z'.repeat(inputLimits.maxStringLength + 1);
    expect(() => assertJsonValueWithinLimits({ a: [long] }, 'x')).toThrow(expect.objectContaining({ code: 'string_too_long' }));
    expect(() => assertJsonValueWithinLimits({ [long]: 1 }, 'x')).toThrow(expect.objectContaining({ code: 'string_too_long' }));
    expect(() => assertJsonValueWithinLimits(JSON.parse('{"a":{"__proto__":1}}'), 'x')).toThrow(expect.objectContaining({ code: 'reserved_key' }));
    expect(() => assertJsonValueWithinLimits({ constructor: 1, prototype: 2 }, 'x')).not.toThrow();
  });

  it('counts parameters and sizes each one as JSON', () => {
    expect(() => assertParametersWithinLimits(Object.fromEntries(Array.from({ length: inputLimits.maxParameters }, (_, n) => [`p${n}`, n])))).not.toThrow();
    expect(() => assertParametersWithinLimits(Object.fromEntries(Array.from({ length: inputLimits.maxParameters + 1 }, (_, n) => [`p${n}`, n])))).toThrow(
      expect.objectContaining({ code: 'too_many_parameters' }),
    );
    expect(() => assertParametersWithinLimits({ big: Array.from({ length: 5_000 }, () => 'é'.repeat(20)) })).toThrow(
      expect.objectContaining({ code: 'parameter_too_large', tooLarge: true }),
    );
  });
});
