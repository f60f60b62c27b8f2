import { pathFilterMatches } from './pathFilter';

describe('pathFilterMatches (GitHub paths filter)', () => {
  it('** matches any depth, * stays within one folder', () => {
    expect(pathFilterMatches(['libs/events/**'], 'libs/events/src/deep/codec.ts')).toBe(true);
    expect(pathFilterMatches(['libs/events/*'], 'libs/events/project.json')).toBe(true);
    expect(pathFilterMatches(['libs/events/*'], 'libs/events/src/index.ts')).toBe(false);
  });

  it('does not match a folder that merely shares a prefix', () => {
    expect(pathFilterMatches(['libs/event/**'], 'libs/events/src/index.ts')).toBe(false);
    expect(pathFilterMatches(['apps/intake/**'], 'apps/intake-e2e/src/main.ts')).toBe(false);
  });

  it('treats dots literally and matches whole paths', () => {
    expect(pathFilterMatches(['nx.json'], 'nx.json')).toBe(true);
    expect(pathFilterMatches(['nx.json'], 'nxxjson')).toBe(false);
    expect(pathFilterMatches(['nx.json'], 'tools/nx.json')).toBe(false);
  });

  it('lets the last matching pattern decide, so ! excludes and a later pattern includes again', () => {
    const patterns = ['libs/**', '!libs/**/*.md', 'libs/events/README.md'];
    expect(pathFilterMatches(patterns, 'libs/workflow/src/index.ts')).toBe(true);
    expect(pathFilterMatches(patterns, 'libs/workflow/README.md')).toBe(false);
    expect(pathFilterMatches(patterns, 'libs/events/README.md')).toBe(true);
  });

  it('refuses glob syntax it would misread', () => {
    expect(() => pathFilterMatches(['libs/[ab]/**'], 'libs/a/x')).toThrow(/only \* and \*\*/);
    expect(() => pathFilterMatches(['libs/a?/**'], 'libs/a/x')).toThrow(/only \* and \*\*/);
  });
});
