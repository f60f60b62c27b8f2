import { traceIdOf } from '@commandflow/functions';

/** One line per invocation: app, function, command id, outcome, duration, correlation and trace ids. */
export interface InvocationRecord {
  readonly app: string;
  readonly functionName: string;
  readonly commandId?: string;
  readonly outcome: string;
  readonly durationMs: number;
  readonly correlationId?: string;
  readonly traceparent?: string;
}

export type InvocationLog = (record: InvocationRecord) => void;

export const consoleInvocationLog: InvocationLog = ({ app, functionName, commandId, outcome, durationMs, correlationId, traceparent }) => {
  const trace = traceparent ? ` trace=${traceIdOf(traceparent)}` : '';
  const correlation = correlationId ? ` correlation=${correlationId}` : '';
  process.stdout.write(`[${app}] ${functionName} ${commandId ?? '-'} ${outcome} ${durationMs.toFixed(1)}ms${correlation}${trace}\n`);
};

/** The command id a trigger input or response carries, when it carries one. */
export function commandIdIn(value: unknown): string | undefined {
  if (typeof value === 'string') {
    try {
      return commandIdIn(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  const commandId = typeof value === 'object' && value !== null ? (value as { commandId?: unknown }).commandId : undefined;
  return typeof commandId === 'string' ? commandId : undefined;
}
