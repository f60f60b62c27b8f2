import { Command, InvalidArgumentError } from 'commander';
import { defaultDatabasePath, embeddedStoresOptions, settingNames } from '@commandflow/runtime';
import { openEmbeddedStores } from '@commandflow/sqlite';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, telemetrySettingsFromEnv, type SpanExporters } from '@commandflow/telemetry';
import { appNames, localApps } from './localApps';
import { startLocalHost } from './localHost';
import { runDemo } from './demo';
import { isQueueWakeUp, supervise, type QueueWakeUp } from './supervisor';

const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('expected a port number');
  return parsed;
};

const readyBanner = (url: string) =>
  [
    `commandflow is serving at ${url} (embedded default: ${process.env[settingNames.databasePath] || defaultDatabasePath})`,
    `The page: ${url}/api/ui`,
    'Try:',
    `  curl -s -X POST ${url}/api/commands/create-league -H 'content-type: application/json' \\`,
    `       -d '{"parameters":{"leagueName":"Leeds Lions","email":"hello@lions.example"}}'`,
    `  curl -s ${url}/api/commands`,
    '',
  ].join('\n');

async function serve(options: { app?: string; singleProcess?: boolean; port: number; demo?: boolean }): Promise<void> {
  if (options.app !== undefined || options.singleProcess) {
    const apps = options.app === undefined ? localApps : localApps.filter((app) => app.name === options.app);
    if (apps.length === 0) throw new InvalidArgumentError(`unknown app ${options.app}; known: ${appNames.join(', ')}`);
    // Spans go where OTEL_TRACES_EXPORTER says (otlp, console; none by default), named after the app.
    const serviceName = options.app ?? 'commandflow';
    const telemetry = startTelemetry({ serviceName, env: process.env, exporters: await localExporters(serviceName) });
    // Under the supervisor, this process's sends wake the other apps' receivers (and theirs wake ours).
    const send = options.app === undefined ? undefined : process.send?.bind(process);
    const host = await startLocalHost({
      apps,
      env: process.env,
      port: options.port,
      // A wake-up that cannot be delivered (the supervisor is going away) is not needed: receivers also poll.
      ...(send ? { onSent: (queue: string) => void send({ wake: queue } satisfies QueueWakeUp, undefined, {}, () => undefined) } : {}),
    });
    process.on('message', (message) => isQueueWakeUp(message) && host.sentElsewhere(message.wake));
    const shutdown = () => void host.stop().then(() => telemetry.shutdown()).then(() => process.exit(0));
    process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
    if (options.app !== undefined) process.send?.({ ready: true, url: host.url });
    else if (host.url) await announce(host.url, options.demo);
    return;
  }
  const supervisor = supervise({
    script: process.argv[1] as string,
    apps: appNames,
    args: ['--port', String(options.port)],
    // A killed app's messages are receivable again at once, not after their locks expire.
    onDied: async (app, pid) => {
      const released = await openEmbeddedStores(embeddedStoresOptions(process.env)).queue.releaseLocksOf(pid);
      if (released > 0) console.error(`[host] released ${released} message locks ${app} held`);
    },
    onReady: (app, url) => {
      if (url) void announce(url, options.demo);
      else console.log(`[host] ${app} is running`);
    },
  });
  const shutdown = () => void supervisor.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
}

/**
 * OTLP over HTTP, loaded only when `OTEL_TRACES_EXPORTER=otlp` asks for it (it is large, and every
 * app process would pay for loading it). Endpoint, headers and timeout come from the standard
 * `OTEL_EXPORTER_OTLP_*` variables (default http://localhost:4318).
 */
async function localExporters(serviceName: string): Promise<SpanExporters> {
  if (telemetrySettingsFromEnv(process.env, serviceName).exporter !== 'otlp') return {};
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return { otlp: () => ({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] }) };
}

async function announce(url: string, demo: boolean | undefined): Promise<void> {
  console.log(readyBanner(url));
  if (demo) await runDemo(url);
}

const program = new Command()
  .name('commandflow-host')
  .description('Runs the intake, validator and executor apps on the embedded default (SQLite), like the Functions host.')
  .option('--single-process', 'run all three apps in this process instead of one process each')
  .option('--app <name>', `run only this app (${appNames.join(', ')}); the supervisor starts each app this way`)
  .option('--port <port>', 'HTTP port of the intake app', port, Number(process.env['PORT'] ?? 7071))
  .option('--demo', 'submit the sample commands once the host is ready and show their journeys')
  .action(serve);

program
  .command('demo')
  .description('Submit the sample commands to a running host (or start one) and follow each to its terminal status.')
  .option('--url <url>', 'the intake URL', 'http://127.0.0.1:7071')
  .action(async ({ url }: { url: string }) => {
    const reachable = await fetch(`${url}/api/command-types`).then(
      (r) => r.ok,
      () => false,
    );
    if (reachable) return runDemo(url);
    const host = await startLocalHost({ apps: localApps, env: process.env, port: Number(new URL(url).port || 7071), log: () => undefined });
    try {
      await runDemo(host.url as string);
    } finally {
      await host.stop();
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
