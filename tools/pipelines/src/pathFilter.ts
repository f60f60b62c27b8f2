/**
 * GitHub Actions' `paths` filter (push and pull_request): a changed file triggers the workflow
 * when the last pattern that matches it is not negated with `!`.
 *
 * Understands `*` (any characters except `/`) and `**` (any characters). Other glob syntax
 * (`?`, `+`, `[…]`) means something GitHub-specific, so it throws rather than be misread.
 */
export function pathFilterMatches(patterns: readonly string[], file: string): boolean {
  let included = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (globPattern(negated ? pattern.slice(1) : pattern).test(file)) included = !negated;
  }
  return included;
}

function globPattern(glob: string): RegExp {
  if (/[?+[\]{}\\]/.test(glob)) throw new Error(`Path pattern "${glob}": only * and ** are understood here`);
  const source = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.^$|()]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
