import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Attributes,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { StepName } from '@commandflow/events';


/** What a step reports (the workflow's `StepOutcome`): the span records it. */
export interface StepOutcomeLike {
  readonly commandId: string;
  readonly state: { readonly status: string; readonly commandType?: string };
  /** Events this invocation appended: one span event each. */
  readonly appended: readonly { readonly type: string; readonly version: number }[];
  /** The next step's message, when one was sent: one span event. */
  readonly sent?: { readonly queue: string; readonly messageId: string };
}

/** Attribute names on step spans and their events. */
export const stepAttributes = {
  commandId: 'commandflow.command.id',
  commandType: 'commandflow.command.type',
  commandStatus: 'commandflow.command.status',
  step: 'commandflow.step',
  eventType: 'commandflow.event.type',
  eventVersion: 'commandflow.event.version',
  queue: 'messaging.destination.name',
  messageId: 'messaging.message.id',
} as const;

/** Names of the span events a step span carries. */
export const stepEventNames = { appended: 'event appended', sent: 'message sent' } as const;

/** Name of the tracer (instrumentation scope) of step spans. */
export const stepTracerName = '@commandflow/telemetry';

const w3c = new W3CTraceContextPropagator();

/** One step invocation as a span: started by `startStepSpan`, ended by `record`. */
export interface StepSpan {
  /**
   * The W3C traceparent the step should record on its events and pass on with its next message:
   * this span's own when spans are recorded (so the next step becomes its child), else the parent's,
   * so that without telemetry the trace context flows exactly as it came in.
   */
  readonly traceparent: string | undefined;
  /**
   * Runs the step inside the span, records its outcome (or error) and ends the span. `outcomeOf`
   * finds the step's outcome in what `run` resolves to (default: it is the outcome); none, none recorded.
   */
  record<Result>(run: () => Promise<Result>, outcomeOf?: (result: Result) => StepOutcomeLike | undefined): Promise<Result>;
}

export interface StepSpanOptions {
  /** The traceparent the step was triggered with (request header, message property); none starts a trace. */
  readonly parent?: string;
  /** Another trace context this invocation belongs to, e.g. the Functions host's own invocation: linked, not parented. */
  readonly link?: string;
  /** Known before the step runs (from the message), so a failing step still names its command. */
  readonly commandId?: string;
}

/**
 * Starts the span of one workflow step, a child of `parent`. Spans are recorded only when
 * telemetry is on (`startTelemetry`); otherwise this costs nothing and changes nothing.
 */
export function startStepSpan(step: StepName, { parent, link, commandId }: StepSpanOptions = {}): StepSpan {
  const parentContext = parent ? w3c.extract(ROOT_CONTEXT, { traceparent: parent }, defaultTextMapGetter) : ROOT_CONTEXT;
  const links = linkTo(link, parent);
  const span = trace.getTracer(stepTracerName).startSpan(
    step,
    {
      kind: SpanKind.INTERNAL,
      attributes: { [stepAttributes.step]: step, ...(commandId ? { [stepAttributes.commandId]: commandId } : {}) },
      ...(links.length > 0 ? { links } : {}),
    },
    parentContext,
  );
  const spanContext = trace.setSpan(parentContext, span);
  const traceparent = span.isRecording() ? traceparentOf(spanContext) : parent;
  return {
    traceparent,
    async record<Result>(run: () => Promise<Result>, outcomeOf = (result: Result) => result as StepOutcomeLike | undefined) {
      try {
        const result = await context.with(spanContext, run);
        const outcome = outcomeOf(result);
        if (outcome) recordOutcome(span, outcome);
        return result;
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  };
}

function recordOutcome(span: Span, { commandId, state, appended, sent }: StepOutcomeLike): void {
  const attributes: Attributes = { [stepAttributes.commandId]: commandId, [stepAttributes.commandStatus]: state.status };
  if (state.commandType !== undefined) attributes[stepAttributes.commandType] = state.commandType;
  span.setAttributes(attributes);
  for (const event of appended) {
    span.addEvent(stepEventNames.appended, { [stepAttributes.eventType]: event.type, [stepAttributes.eventVersion]: event.version });
  }
  if (sent) span.addEvent(stepEventNames.sent, { [stepAttributes.queue]: sent.queue, [stepAttributes.messageId]: sent.messageId });
}

function traceparentOf(spanContext: typeof ROOT_CONTEXT): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(spanContext, carrier, defaultTextMapSetter);
  return carrier['traceparent'];
}

function linkTo(link: string | undefined, parent: string | undefined): Link[] {
  if (!link || link === parent) return [];
  const linked = trace.getSpanContext(w3c.extract(ROOT_CONTEXT, { traceparent: link }, defaultTextMapGetter));
  return linked ? [{ context: linked }] : [];
}
