import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const workspaceRoot = path.resolve(__dirname, '../../..');

/**
 * A scratch folder with the bundled host in it (bundled once per spec file), inside the
 * workspace's tmp/ so that the bundle finds better-sqlite3 in node_modules.
 */
export function bundleHost(): { dir: string; script: string; cleanup(): void } {
  mkdirSync(path.join(workspaceRoot, 'tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(workspaceRoot, 'tmp', 'host-'));
  const script = path.join(dir, 'main.js');
  execFileSync(process.execPath, [path.join(workspaceRoot, 'tools/local-host/bundle.mjs'), script], { cwd: workspaceRoot });
  return { dir, script, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface HostProcess {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the host printed so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the bundled host (one process per app, or all in one) and waits until it serves. */
export async function startHostProcess(
  script: string,
  { singleProcess, env }: { singleProcess: boolean; env: Record<string, string> },
): Promise<HostProcess> {
  const port = await freePort();
  const child = fork(script, ['--port', String(port), ...(singleProcess ? ['--single-process'] : [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (!output.includes('is serving at')) {
    if (child.exitCode !== null) throw new Error(`The host exited: ${output}`);
    if (Date.now() > deadline) {
      child.kill(); // a host left running would keep the test runner from exiting
      throw new Error(`The host did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    url,
    process: child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** Polls `read` until `done` holds for its value, or fails after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
