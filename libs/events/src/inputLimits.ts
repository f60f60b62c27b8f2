import { ValidationError } from './errors';

/**
 * Bounds on everything a caller sends, each checked before anything recursive or costly touches
 * the input. docs/limits.md lists them with their error codes.
 */
export const inputLimits = {
  /** Largest request body, and largest Event Grid event, in UTF-8 bytes (413 `payload_too_large`). */
  maxBodyBytes: 256 * 1024,
  /** Largest serialised value of one parameter, in UTF-8 bytes (413 `parameter_too_large`). Leaves room for the event's envelope under the store's 256 KiB event limit. */
  maxParameterBytes: 128 * 1024,
  /** Most parameters in one command (400 `too_many_parameters`). */
  maxParameters: 1000,
  /** Deepest nesting of arrays and objects, counting the outermost (400 `nesting_too_deep`). */
  maxDepth: 32,
  /** Longest string value or object key, in UTF-16 code units (413 `string_too_long`). */
  maxStringLength: 64 * 1024,
} as const;

/** The object key that plain JavaScript objects cannot hold as data; refused (400 `reserved_key`) rather than dropped. */
export const reservedKey = '__proto__';

/** Input over one of the limits. `tooLarge` marks a size or length limit (HTTP 413); the others are shape limits (400). */
export class InputLimitError extends ValidationError {
  constructor(
    code: string,
    message: string,
    readonly tooLarge: boolean,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
  }
}

export const isInputLimitError = (error: unknown): error is InputLimitError => error instanceof InputLimitError;

const utf8 = new TextEncoder();

/** Throws 413 `payload_too_large` when `bytes` is over `maxBytes`. */
export function assertBodySize(bytes: number, what = 'The body', maxBytes: number = inputLimits.maxBodyBytes): void {
  if (bytes > maxBytes) {
    throw new InputLimitError('payload_too_large', `${what} is ${bytes} bytes; the limit is ${maxBytes}`, true, { bytes, maxBytes });
  }
}

const tooDeep = (maxDepth: number) =>
  new InputLimitError('nesting_too_deep', `Arrays and objects may nest at most ${maxDepth} deep`, false, { maxDepth });

/**
 * Scans JSON text for its nesting depth in one pass, with no recursion, so that a parser never
 * sees text nested deeper than `maxDepth`. It does not check that the text is JSON: the parser
 * that runs next does.
 */
export function assertJsonTextDepth(text: string, maxDepth: number = inputLimits.maxDepth): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c /* \ */) index++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      if (++depth > maxDepth) throw tooDeep(maxDepth);
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    }
  }
}

/**
 * Walks a parsed JSON value without recursion and throws InputLimitError for nesting deeper
 * than `maxDepth`, a string or key longer than `maxStringLength`, or a `__proto__` key.
 * `what` names the value in the message (`parameter leagueName`).
 */
export function assertJsonValueWithinLimits(value: unknown, what: string): void {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (typeof current === 'string') {
      assertStringLength(current, what);
    } else if (typeof current === 'object' && current !== null) {
      if (depth + 1 > inputLimits.maxDepth) throw tooDeep(inputLimits.maxDepth);
      if (Array.isArray(current)) {
        for (const item of current) pending.push([item, depth + 1]);
      } else {
        for (const key of Object.keys(current)) {
          if (key === reservedKey) {
            throw new InputLimitError('reserved_key', `${what} has a key named ${reservedKey}, which is not accepted anywhere in a command`, false);
          }
          assertStringLength(key, what);
          pending.push([(current as Record<string, unknown>)[key], depth + 1]);
        }
      }
    }
  }
}

function assertStringLength(text: string, what: string): void {
  if (text.length > inputLimits.maxStringLength) {
    throw new InputLimitError('string_too_long', `${what} holds a string of ${text.length} characters; the limit is ${inputLimits.maxStringLength}`, true, {
      length: text.length,
      maxStringLength: inputLimits.maxStringLength,
    });
  }
}

/**
 * Checks a command's parameters: at most `maxParameters`, each within the JSON limits and at most
 * `maxParameterBytes` serialised. Linear in the size of the input.
 */
export function assertParametersWithinLimits(parameters: Readonly<Record<string, unknown>>): void {
  const names = Object.keys(parameters);
  if (names.length > inputLimits.maxParameters) {
    throw new InputLimitError('too_many_parameters', `A command may have at most ${inputLimits.maxParameters} parameters; got ${names.length}`, false, {
      count: names.length,
      maxParameters: inputLimits.maxParameters,
    });
  }
  assertJsonValueWithinLimits(parameters, 'The parameters');
  for (const name of names) {
    const bytes = utf8.encode(JSON.stringify(parameters[name]) ?? '').length;
    if (bytes > inputLimits.maxParameterBytes) {
      throw new InputLimitError('parameter_too_large', `Parameter ${name} is ${bytes} bytes as JSON; the limit is ${inputLimits.maxParameterBytes}`, true, {
        parameter: name,
        bytes,
        maxParameterBytes: inputLimits.maxParameterBytes,
      });
    }
  }
}
