/**
 * Evaluates the GitHub Actions expressions the pipelines use in `if:`, `concurrency` and names,
 * so a test can ask "does this step run on a pull request?" instead of matching strings.
 *
 * Supported: literals ('string', numbers, true, false, null), context paths (`github.ref`,
 * `steps.affected.outputs.affected`; a missing property is null), `!`, `==`, `!=`, `&&`, `||`
 * and parentheses, with GitHub's semantics: strings compare case-insensitively, other types
 * compare as numbers, `&&` / `||` return an operand. Anything else (functions, `<`) throws.
 */
export type ExpressionContext = Readonly<Record<string, unknown>>;

type Token = { kind: 'string' | 'number' | 'path' | 'operator'; text: string };

/** The value of one expression, with or without its `${{ }}`. */
export function evaluateExpression(expression: string, context: ExpressionContext): unknown {
  const body = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expression)?.[1] ?? expression;
  const parser = new Parser(tokenize(body), context);
  const value = parser.or();
  parser.expectEnd();
  return value;
}

/** A string with `${{ … }}` parts (a name, a concurrency group), each replaced by its value. */
export function evaluateTemplate(template: string, context: ExpressionContext): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, body: string) => String(evaluateExpression(body, context) ?? ''));
}

/** Whether a job or step `if:` lets it run (an absent `if:` does). */
export function conditionHolds(condition: unknown, context: ExpressionContext): boolean {
  if (condition === undefined) return true;
  if (typeof condition === 'boolean') return condition;
  return truthy(evaluateExpression(String(condition), context));
}

export function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === undefined || value === '' || value === 0 || Number.isNaN(value));
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)|(==|!=|&&|\|\||!|\(|\)))/y;
  let index = 0;
  while (index < source.length) {
    if (source.slice(index).trim() === '') break;
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (!match) throw new Error(`Unsupported expression syntax at "${source.slice(index)}" in "${source}"`);
    const [, string, number, path, operator] = match;
    if (string !== undefined) tokens.push({ kind: 'string', text: string.slice(1, -1).replace(/''/g, "'") });
    else if (number !== undefined) tokens.push({ kind: 'number', text: number });
    else if (path !== undefined) tokens.push({ kind: 'path', text: path });
    else tokens.push({ kind: 'operator', text: operator ?? '' });
    index = pattern.lastIndex;
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly context: ExpressionContext,
  ) {}

  or(): unknown {
    let value = this.and();
    while (this.accept('||')) {
      const right = this.and();
      value = truthy(value) ? value : right;
    }
    return value;
  }

  expectEnd(): void {
    const extra = this.tokens[this.position];
    if (extra) throw new Error(`Unexpected "${extra.text}" in expression`);
  }

  private and(): unknown {
    let value = this.comparison();
    while (this.accept('&&')) {
      const right = this.comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  }

  private comparison(): unknown {
    let value = this.not();
    for (;;) {
      if (this.accept('==')) value = looselyEqual(value, this.not());
      else if (this.accept('!=')) value = !looselyEqual(value, this.not());
      else return value;
    }
  }

  private not(): unknown {
    return this.accept('!') ? !truthy(this.not()) : this.primary();
  }

  private primary(): unknown {
    const token = this.tokens[this.position++];
    if (!token) throw new Error('Expression ends too early');
    switch (token.kind) {
      case 'string':
        return token.text;
      case 'number':
        return Number(token.text);
      case 'path':
        if (this.tokens[this.position]?.text === '(') throw new Error(`Function ${token.text}() is not supported here`);
        return this.lookUp(token.text);
      case 'operator': {
        if (token.text !== '(') throw new Error(`Unexpected "${token.text}" in expression`);
        const value = this.or();
        if (!this.accept(')')) throw new Error('Missing ")" in expression');
        return value;
      }
      default: {
        const unknownKind: never = token.kind;
        throw new Error(`Unknown token ${String(unknownKind)}`);
      }
    }
  }

  private lookUp(path: string): unknown {
    if (path === 'true') return true;
    if (path === 'false') return false;
    if (path === 'null') return null;
    let value: unknown = this.context;
    for (const key of path.split('.')) {
      value = value !== null && typeof value === 'object' ? ((value as Record<string, unknown>)[key] ?? null) : null;
    }
    return value;
  }

  private accept(operator: string): boolean {
    const token = this.tokens[this.position];
    if (token?.kind !== 'operator' || token.text !== operator) return false;
    this.position++;
    return true;
  }
}

function looselyEqual(left: unknown, right: unknown): boolean {
  if (typeof left === 'string' && typeof right === 'string') return left.toLowerCase() === right.toLowerCase();
  return asNumber(left) === asNumber(right);
}

function asNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return Number.NaN;
}
