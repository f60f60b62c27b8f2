import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a GitHub Actions workflow file the pipeline checks read. */
export type Workflow = Readonly<{
  name?: string;
  on: Readonly<Record<string, Trigger | null>>;
  concurrency?: Readonly<{ group: string; 'cancel-in-progress'?: boolean | string }>;
  env?: Environment;
  jobs: Readonly<Record<string, Job>>;
}>;

export type Trigger = Readonly<{
  branches?: readonly string[];
  paths?: readonly string[];
  inputs?: Readonly<Record<string, Readonly<{ type?: string; required?: boolean; default?: unknown }>>>;
}>;

export type Job = Readonly<{
  name?: string;
  needs?: string | readonly string[];
  if?: string | boolean;
  uses?: string;
  with?: Readonly<Record<string, unknown>>;
  permissions?: Readonly<Record<string, string>>;
  env?: Environment;
  outputs?: Readonly<Record<string, string>>;
  steps?: readonly Step[];
}>;

export type Step = Readonly<{
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  with?: Readonly<Record<string, unknown>>;
  env?: Environment;
  'working-directory'?: string;
}>;

export type Environment = Readonly<Record<string, string>>;

export function readWorkflow(file: string): Workflow {
  const workflow = parse(readFileSync(file, 'utf8')) as Workflow | null;
  if (!workflow || typeof workflow.on !== 'object' || typeof workflow.jobs !== 'object') {
    throw new Error(`${file} is not a workflow with "on" and "jobs"`);
  }
  return workflow;
}

/**
 * A called (reusable) workflow as it runs for one caller: every `${{ inputs.<name> }}` replaced by
 * the value the caller passes, or the input's default. An input the caller does not supply and
 * that has no default throws, as does one the workflow does not declare.
 */
export function withInputs<T>(value: T, declared: Trigger['inputs'], passed: Readonly<Record<string, unknown>>): T {
  const valueOf = (name: string): string => {
    const input = declared?.[name];
    if (!input) throw new Error(`The workflow uses inputs.${name} but does not declare it`);
    const given = passed[name] ?? input.default;
    if (given === undefined) throw new Error(`The caller passes no ${name} and it has no default`);
    return String(given);
  };
  const substitute = (item: unknown): unknown => {
    if (typeof item === 'string') return item.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => valueOf(name));
    if (Array.isArray(item)) return item.map(substitute);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, substitute(entry)]));
    }
    return item;
  };
  return substitute(value) as T;
}

/** The steps of a job with the environment each one runs in (workflow, then job, then step `env`). */
export function stepsWithEnvironment(workflow: Workflow, job: Job): { step: Step; env: Environment }[] {
  return (job.steps ?? []).map((step) => ({ step, env: { ...workflow.env, ...job.env, ...step.env } }));
}

/**
 * The simple commands of a `run:` script, as word lists: `\` continuations joined, quotes
 * removed, `$NAME` / `${NAME}` expanded from `env` (unknown names stay as written), comments dropped.
 */
export function shellCommands(script: string, env: Environment): string[][] {
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => shellWords(line, env))
    .filter((words) => words.length > 0);
}

function shellWords(line: string, env: Environment): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line.charAt(index);
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    const variable = char === '$' ? /^\$(?:\{(\w+)\}|(\w+))/.exec(line.slice(index)) : null;
    if (variable) {
      const name = variable[1] ?? variable[2] ?? '';
      word += env[name] ?? variable[0];
      index += variable[0].length - 1;
      inWord = true;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '#' && !inWord) {
      break;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The values following any of `names` (`-p a b`, `--projects=a,b`) up to the next option. */
export function optionValues(words: readonly string[], names: readonly string[]): string[] {
  return words.flatMap((word, index) => {
    const inline = names.map((name) => `${name}=`).find((prefix) => word.startsWith(prefix));
    if (inline) return word.slice(inline.length).split(',');
    if (!names.includes(word)) return [];
    const end = words.findIndex((next, position) => position > index && next.startsWith('-'));
    return words.slice(index + 1, end === -1 ? undefined : end).flatMap((value) => value.split(','));
  });
}
