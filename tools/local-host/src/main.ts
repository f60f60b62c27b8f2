import { Command, InvalidArgumentError } from 'commander';
import { appNames, localApps } from './localApps';
import { startLocalHost } from './localHost';
import { runDemo } from './demo';
import { supervise } from './supervisor';

const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('expected a port number');
  return parsed;
};

const readyBanner = (url: string) =>
  [
    `commandflow is serving at ${url} (embedded default: ${process.env['COMMANDFLOW_DATABASE'] ?? './.data/commandflow.db'})`,
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
    const host = await startLocalHost({ apps, env: process.env, port: options.port });
    const shutdown = () => void host.stop().then(() => process.exit(0));
    process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
    if (options.app !== undefined) process.send?.({ ready: true, url: host.url });
    else if (host.url) await announce(host.url, options.demo);
    return;
  }
  const supervisor = supervise({
    script: process.argv[1] as string,
    apps: appNames,
    args: ['--port', String(options.port)],
    onReady: (app, url) => {
      if (url) void announce(url, options.demo);
      else console.log(`[host] ${app} is running`);
    },
  });
  const shutdown = () => void supervisor.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
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
