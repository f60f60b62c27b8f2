import { SingleBar } from 'cli-progress';

/** Prints a result: JSON for scripts (`--json`), else the readable lines. */
export function print(json: boolean | undefined, value: unknown, readable: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : readable()}\n`);
}

/** Runs `work` for 1..count with a progress bar on stderr when it is a terminal and output is not JSON. */
export async function withProgress(label: string, count: number, json: boolean | undefined, work: (n: number) => Promise<void>): Promise<void> {
  const bar = !json && count > 1 && process.stderr.isTTY ? new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr }) : undefined;
  bar?.start(count, 0);
  try {
    for (let n = 1; n <= count; n++) {
      await work(n);
      bar?.increment();
    }
  } finally {
    bar?.stop();
  }
}

/** `name=value` pairs; a value that parses as JSON (numbers, booleans, objects) is taken as JSON, else as text. */
export function parseAssignment(pair: string): [string, unknown] {
  const at = pair.indexOf('=');
  if (at <= 0) throw new Error(`expected name=value, got ${JSON.stringify(pair)}`);
  const raw = pair.slice(at + 1);
  try {
    return [pair.slice(0, at), JSON.parse(raw)];
  } catch {
    return [pair.slice(0, at), raw];
  }
}
