import { HttpResponse, InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { commandIdIn, type InvocationLog } from './invocationLog';

/** What the trigger knows of an invocation before it runs. */
export interface InvocationTrigger {
  readonly triggerMetadata: Record<string, unknown>;
  /** Where to look for the command id (a message body, route parameters). */
  readonly commandIdHint?: unknown;
  readonly correlationId?: string;
  readonly traceparent?: string;
}

/** The correlation and trace ids an HTTP function answered with (the submit function sets both). */
function responseTrace(result: unknown): { correlationId?: string; traceparent?: string } {
  const headers = result instanceof HttpResponse ? result.headers : new Headers((result as { headers?: Record<string, string> })?.headers ?? {});
  return { correlationId: headers.get('x-correlation-id') ?? undefined, traceparent: headers.get('traceparent') ?? undefined };
}

/** Runs one function invocation the way the Functions host does: a fresh context, timed, one log line. */
export async function invoke<T>(
  app: string,
  functionName: string,
  log: InvocationLog,
  trigger: InvocationTrigger,
  run: (context: InvocationContext) => Promise<T>,
): Promise<T> {
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    triggerMetadata: trigger.triggerMetadata,
    ...(trigger.traceparent ? { traceContext: { traceParent: trigger.traceparent } } : {}),
    logHandler: (level, ...args) => {
      if (level === 'error' || level === 'warning' || process.env['COMMANDFLOW_VERBOSE']) {
        console.error(`[${app}] ${functionName} ${level}:`, ...args);
      }
    },
  });
  const started = performance.now();
  const record = { app, functionName, correlationId: trigger.correlationId, traceparent: trigger.traceparent };
  try {
    const result = await run(context);
    const answered = responseTrace(result);
    log({
      ...record,
      commandId: commandIdIn(trigger.commandIdHint) ?? commandIdIn((result as { jsonBody?: unknown })?.jsonBody),
      correlationId: trigger.correlationId ?? answered.correlationId,
      traceparent: trigger.traceparent ?? answered.traceparent,
      outcome: 'Succeeded',
      durationMs: performance.now() - started,
    });
    return result;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log({ ...record, commandId: commandIdIn(trigger.commandIdHint), outcome: `Failed (${reason})`, durationMs: performance.now() - started });
    throw error;
  }
}
