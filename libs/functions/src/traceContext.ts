import type { DeliveryReport } from '@commandflow/workflow';
import type { InvocationContext } from '@azure/functions';

const traceparentPattern = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Whether a value is a W3C `traceparent` header value. */
export const isTraceparent = (value: unknown): value is string => typeof value === 'string' && traceparentPattern.test(value);

/** The trace id of a traceparent (its 32 hex digits), for log lines. */
export const traceIdOf = (traceparent: string): string | undefined => traceparentPattern.exec(traceparent)?.[1];

/**
 * The trace context an invocation continues: the `traceparent` application property of the
 * Service Bus message that triggered it (the command's trace, set by the step that sent it), else
 * the host's own (`context.traceContext`). The message's comes first because on Azure the host
 * starts a trace of its own for a message that carries no `Diagnostic-Id`.
 */
export function incomingTraceparent(context: InvocationContext): string | undefined {
  const properties = context.triggerMetadata?.['applicationProperties'] as Record<string, unknown> | undefined;
  return [properties?.['traceparent'], context.traceContext?.traceParent].find(isTraceparent);
}

/** A new traceparent (sampled) from two random ids, e.g. two UUIDs. */
export function newTraceparent(newId: () => string): string {
  const hex = (id: string) => id.replace(/-/g, '').toLowerCase();
  return `00-${hex(newId())}-${hex(newId()).slice(0, 16)}-01`;
}

/** The log line of a queue-triggered step: command, resulting status, what the delivery policy did, correlation and trace ids. */
export function deliveryLogLine({ outcome, verdict, attempt, retry }: DeliveryReport, traceparent: string | undefined): string {
  const parts = [`Command ${outcome?.commandId ?? '-'}:`];
  if (outcome) parts.push(`${outcome.state.status}${outcome.appended.length === 0 ? ' (nothing to do)' : ''}`);
  if (retry) parts.push(`retry ${attempt + 1} at ${retry.scheduledFor.toISOString()}`);
  if (verdict.action === 'give-up') parts.push(`gave up on attempt ${attempt}`);
  parts.push(`correlation=${outcome && outcome.state.status !== 'Empty' ? outcome.state.correlationId : '-'}`);
  if (traceparent) parts.push(`trace=${traceIdOf(traceparent)}`);
  return parts.join(' ');
}
