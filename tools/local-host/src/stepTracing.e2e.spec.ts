import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, stepAttributes, stepEventNames, type Telemetry } from '@commandflow/telemetry';
import { eventually } from '@commandflow/testing';
import { localApps } from './localApps';
import { startLocalHost, type RunningHost } from './localHost';

jest.setTimeout(60_000);

/**
 * One command's journey through the three apps on the local host, as OpenTelemetry sees it: a span
 * per step, all in one trace, each step the child of the one that sent its message.
 */
describe('the local host traces each command across intake, validator and executor', () => {
  const exporter = new InMemorySpanExporter();
  const dir = mkdtempSync(path.join(tmpdir(), 'commandflow-tracing-'));
  let telemetry: Telemetry;
  let host: RunningHost;

  beforeAll(async () => {
    telemetry = startTelemetry({ serviceName: 'commandflow-local-host', env: {}, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    host = await startLocalHost({ apps: localApps, env: { COMMANDFLOW_DATABASE: path.join(dir, 'traced.db') }, port: 0, log: () => undefined });
  });
  afterAll(async () => {
    await host?.stop();
    await telemetry?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  async function submit(leagueName: string, headers: Record<string, string> = {}): Promise<string> {
    const reply = await fetch(`${host.url}/api/commands/create-league`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ parameters: { leagueName } }),
    });
    expect(reply.status).toBe(202);
    return ((await reply.json()) as { commandId: string }).commandId;
  }

  /** The log, validate and execute spans of a command, once all three have ended. */
  const stepSpansOf = (commandId: string) =>
    eventually(
      async () => exporter.getFinishedSpans().filter((span) => span.attributes[stepAttributes.commandId] === commandId),
      (spans) => spans.length >= 3,
    ).then((spans) => Object.fromEntries(spans.map((span) => [span.name, span])) as Record<'log' | 'validate' | 'execute', ReadableSpan>);

  const events = (span: ReadableSpan) => span.events.map(({ name, attributes }) => `${name}: ${String(attributes?.[stepAttributes.eventType] ?? attributes?.[stepAttributes.queue])}`);

  it('gives the three steps of one command one trace, each parented by the step before it', async () => {
    const commandId = await submit('Traced Terriers');
    const { log, validate, execute: perform } = await stepSpansOf(commandId);
    const traceId = log.spanContext().traceId;

    expect([validate.spanContext().traceId, perform.spanContext().traceId]).toEqual([traceId, traceId]);
    expect(log.parentSpanContext).toBeUndefined(); // no traceparent came with the request: the trace starts here
    expect(validate.parentSpanContext?.spanId).toBe(log.spanContext().spanId);
    expect(perform.parentSpanContext?.spanId).toBe(validate.spanContext().spanId);
    for (const span of [log, validate, perform]) {
      expect(span.attributes).toMatchObject({ [stepAttributes.commandId]: commandId, [stepAttributes.commandType]: 'create-league' });
      expect(span.resource.attributes['service.name']).toBe('commandflow-local-host');
    }
    expect(events(log)).toEqual([`${stepEventNames.appended}: CommandCreated`, `${stepEventNames.appended}: ParameterSet`, `${stepEventNames.sent}: validate`]);
    expect(events(validate)).toEqual([`${stepEventNames.appended}: ValidationSucceeded`, `${stepEventNames.sent}: execute`]);
    expect(events(perform)).toEqual([`${stepEventNames.appended}: CommandCompleted`]);
    expect(perform.attributes[stepAttributes.commandStatus]).toBe('Completed');

    // The events each step appended carry that step's span as their trace context.
    const stream = (await (await fetch(`${host.url}/api/commands/${commandId}/events`)).json()) as { events: { type: string; metadata: { traceparent?: string } }[] };
    const spanOf = { CommandCreated: log, ParameterSet: log, ValidationSucceeded: validate, CommandCompleted: perform } as Record<string, ReadableSpan>;
    for (const { type, metadata } of stream.events) {
      expect(metadata.traceparent).toBe(`00-${traceId}-${spanOf[type]?.spanContext().spanId}-01`);
    }
  });

  it("continues the caller's trace when the request brings a traceparent", async () => {
    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const commandId = await submit('Traced Owls', { traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01` });
    const { log, validate, execute: perform } = await stepSpansOf(commandId);
    expect([log, validate, perform].map((span) => span.spanContext().traceId)).toEqual([callerTraceId, callerTraceId, callerTraceId]);
    expect(log.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(perform.parentSpanContext?.spanId).toBe(validate.spanContext().spanId);
  });
});
