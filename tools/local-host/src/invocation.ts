import { InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { commandIdIn, type InvocationLog } from './invocationLog';

/** Runs one function invocation the way the Functions host does: a fresh context, timed, one log line. */
export async function invoke<T>(
  app: string,
  functionName: string,
  log: InvocationLog,
  triggerMetadata: Record<string, unknown>,
  run: (context: InvocationContext) => Promise<T>,
  commandIdHint?: unknown,
): Promise<T> {
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    triggerMetadata,
    logHandler: (level, ...args) => {
      if (level === 'error' || level === 'warning' || process.env['COMMANDFLOW_VERBOSE']) {
        console.error(`[${app}] ${functionName} ${level}:`, ...args);
      }
    },
  });
  const started = performance.now();
  try {
    const result = await run(context);
    log({ app, functionName, commandId: commandIdIn(commandIdHint) ?? commandIdIn((result as { jsonBody?: unknown })?.jsonBody), outcome: 'Succeeded', durationMs: performance.now() - started });
    return result;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log({ app, functionName, commandId: commandIdIn(commandIdHint), outcome: `Failed (${reason})`, durationMs: performance.now() - started });
    throw error;
  }
}
