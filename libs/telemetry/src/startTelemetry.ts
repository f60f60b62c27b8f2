import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { telemetrySettingsFromEnv, type TelemetrySettings } from './telemetrySettings';

/** How spans leave the process for one exporter setting, set up once the settings are known. */
export interface SpanExport {
  readonly spanProcessors: readonly SpanProcessor[];
  /** Runs once the tracer provider is registered (e.g. an instrumentation); its `shutdown` runs on shutdown. */
  readonly instrument?: (tracerProvider: BasicTracerProvider, resource: Resource) => { shutdown(): Promise<void> };
}

/**
 * The exporters a host offers beyond `console` and `none`, by `OTEL_TRACES_EXPORTER` value. Each
 * host bundles only what it offers: the function apps Azure Monitor (`@commandflow/azure-telemetry`),
 * the local host OTLP.
 */
export type SpanExporters = Partial<Record<'azuremonitor' | 'otlp', (settings: TelemetrySettings) => SpanExport>>;

export interface TelemetryOptions {
  /** The service name when `OTEL_SERVICE_NAME` does not give one: the app's name. */
  readonly serviceName: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly exporters?: SpanExporters;
  /** More span processors (e.g. an in-memory exporter in tests); telemetry is on when any is given. */
  readonly spanProcessors?: readonly SpanProcessor[];
}

export interface Telemetry {
  readonly settings: TelemetrySettings;
  /** True when spans are recorded and exported somewhere. */
  readonly enabled: boolean;
  /** Flushes what is buffered and unregisters the global providers. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for one process, as its settings say (`telemetrySettingsFromEnv`):
 * a tracer provider for the step spans, W3C trace context, async context. With exporter `none` and
 * no extra processors nothing is registered at all. Call once per process, before the first invocation.
 */
export function startTelemetry({ serviceName, env, exporters = {}, spanProcessors = [] }: TelemetryOptions): Telemetry {
  const settings = telemetrySettingsFromEnv(env, serviceName);
  const exported = spanExport(settings, exporters);
  const processors = [...spanProcessors, ...(exported?.spanProcessors ?? [])];
  if (processors.length === 0) return { settings, enabled: false, shutdown: async () => undefined };

  const resource = resourceFromAttributes({ 'service.name': settings.serviceName });
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: processors });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  const instrumentation = exported?.instrument?.(tracerProvider, resource);
  return {
    settings,
    enabled: true,
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), instrumentation?.shutdown()]);
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

function spanExport(settings: TelemetrySettings, exporters: SpanExporters): SpanExport | undefined {
  switch (settings.exporter) {
    case 'none':
      return undefined;
    case 'console':
      return { spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] };
    case 'otlp':
    case 'azuremonitor': {
      const offered = exporters[settings.exporter];
      if (!offered) {
        const available = ['console', 'none', ...Object.keys(exporters)].join(', ');
        throw new Error(`Telemetry settings: OTEL_TRACES_EXPORTER=${settings.exporter} is not available here (available: ${available})`);
      }
      return offered(settings);
    }
    default: {
      const unknownExporter: never = settings;
      throw new Error(`Unknown telemetry exporter ${JSON.stringify(unknownExporter)}`);
    }
  }
}
