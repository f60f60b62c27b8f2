import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startStepSpan, stepEventNames, type StepOutcomeLike } from './stepSpan';
import { startTelemetry, type Telemetry } from './startTelemetry';

const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const hostInvocation = '00-11111111111111111111111111111111-2222222222222222-01';

const outcome: StepOutcomeLike = {
  commandId: 'c-1',
  state: { status: 'Validated', commandType: 'create-league' },
  appended: [{ type: 'ValidationSucceeded', version: 3 }],
  sent: { queue: 'execute', messageId: 'c-1:execute' },
};

describe('a step span, with telemetry on', () => {
  let exporter: InMemorySpanExporter;
  let telemetry: Telemetry;
  beforeEach(() => {
    exporter = new InMemorySpanExporter(); // shutting telemetry down stops its exporter
    telemetry = startTelemetry({ serviceName: 'validator', env: {}, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  });
  afterEach(() => telemetry.shutdown());

  it('is a child of the trace it was triggered in, and hands the step its own traceparent to pass on', async () => {
    const span = startStepSpan('validate', { parent, commandId: 'c-1' });
    expect(span.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(span.traceparent).not.toBe(parent);
    await span.record(async () => outcome);

    const [recorded] = exporter.getFinishedSpans();
    expect(recorded?.name).toBe('validate');
    expect(recorded?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(recorded?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.traceparent).toBe(`00-${recorded?.spanContext().traceId}-${recorded?.spanContext().spanId}-01`);
    expect(recorded?.resource.attributes['service.name']).toBe('validator');
  });

  it('names the command and its type, and records the events appended and the message sent as span events', async () => {
    await startStepSpan('validate', { parent }).record(async () => outcome);
    const [recorded] = exporter.getFinishedSpans();
    expect(recorded?.attributes).toEqual({
      'commandflow.step': 'validate',
      'commandflow.command.id': 'c-1',
      'commandflow.command.type': 'create-league',
      'commandflow.command.status': 'Validated',
    });
    expect(recorded?.events.map(({ name, attributes }) => [name, attributes])).toEqual([
      [stepEventNames.appended, { 'commandflow.event.type': 'ValidationSucceeded', 'commandflow.event.version': 3 }],
      [stepEventNames.sent, { 'messaging.destination.name': 'execute', 'messaging.message.id': 'c-1:execute' }],
    ]);
  });

  it('starts a trace when triggered without one, and links the host invocation it ran in', async () => {
    const span = startStepSpan('log', { link: hostInvocation });
    await span.record(async () => ({ ...outcome, appended: [], sent: undefined }));
    const [recorded] = exporter.getFinishedSpans();
    expect(recorded?.parentSpanContext).toBeUndefined();
    expect(recorded?.links.map((link) => link.context.spanId)).toEqual(['2222222222222222']);
    expect(recorded?.events).toEqual([]);
  });

  it('records a failing step as an error with its exception, names the command it knew, and rethrows', async () => {
    const span = startStepSpan('execute', { parent, commandId: 'c-9' });
    await expect(span.record(() => Promise.reject(new Error('store unavailable')))).rejects.toThrow('store unavailable');
    const [recorded] = exporter.getFinishedSpans();
    expect(recorded?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'store unavailable' });
    expect(recorded?.attributes['commandflow.command.id']).toBe('c-9');
    expect(recorded?.events.map((event) => event.name)).toEqual(['exception']);
  });
});

describe('a step span, with telemetry off', () => {
  it('records nothing and passes the incoming traceparent on unchanged', async () => {
    const span = startStepSpan('validate', { parent });
    expect(span.traceparent).toBe(parent);
    await expect(span.record(async () => outcome)).resolves.toBe(outcome);
    expect(startStepSpan('log').traceparent).toBeUndefined();
  });
});
