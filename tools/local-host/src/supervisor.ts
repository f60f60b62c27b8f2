import { fork, type ChildProcess } from 'node:child_process';

export interface SupervisorOptions {
  /** The script each app process runs (this host's own entry point). */
  readonly script: string;
  readonly apps: readonly string[];
  /** Arguments after `--app <name>`. */
  readonly args: readonly string[];
  /** Called when an app process reports it is serving. */
  readonly onReady: (app: string, url: string | undefined) => void;
  /** Called when an app process died (before it is restarted): e.g. to release what it held. */
  readonly onDied?: (app: string, pid: number) => Promise<unknown> | unknown;
  /** Delay before restarting a crashed app, in ms. Default 500. */
  readonly restartDelayMs?: number;
  /** How long an app may take to shut down after SIGTERM before it is killed, in ms. Default 5000. */
  readonly shutdownGraceMs?: number;
}

/** What an app process tells the others through its supervisor: it sent to a queue, so their receivers may wake now. */
export interface QueueWakeUp {
  readonly wake: string;
}

export const isQueueWakeUp = (message: unknown): message is QueueWakeUp =>
  typeof (message as Partial<QueueWakeUp> | null)?.wake === 'string';

const ignoreError = () => undefined;

/**
 * Runs each app in its own process, as on Azure, and restarts any that dies. A wake-up one app
 * sends (`QueueWakeUp`) is relayed to every other app at once, so a message sent in one process
 * is received in another without waiting for a poll.
 */
export function supervise({ script, apps, args, onReady, onDied, restartDelayMs = 500, shutdownGraceMs = 5_000 }: SupervisorOptions): { stop(): Promise<void> } {
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const start = (app: string) => {
    const child = fork(script, ['--app', app, ...args], { stdio: 'inherit' });
    children.set(app, child);
    child.on('message', (message: { ready?: boolean; url?: string }) => {
      if (isQueueWakeUp(message)) {
        // A child that has just died cannot be woken, and need not be: it polls when it is back.
        for (const other of children.values()) if (other !== child && other.connected) other.send(message, ignoreError);
      } else if (message.ready) onReady(app, message.url);
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`[host] ${app} exited (${signal ?? `code ${code}`}); restarting in ${restartDelayMs} ms`);
      if (child.pid !== undefined) {
        Promise.resolve(onDied?.(app, child.pid)).catch((error: unknown) => console.error(`[host] releasing what ${app} held failed`, error));
      }
      setTimeout(() => !stopping && start(app), restartDelayMs);
    });
  };
  apps.forEach(start);
  return {
    async stop() {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const kill = setTimeout(() => child.kill('SIGKILL'), shutdownGraceMs);
              child.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
