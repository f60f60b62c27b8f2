import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * What each app registers with the Azure Functions host: checked on the source entry (main.ts,
 * with @azure/functions-core mocked) and on the deployable bundle, loaded in a bare folder with
 * nothing but a stand-in functions-core, as the Functions worker would load it.
 */
interface Registration {
  readonly name: string;
  readonly trigger: Record<string, unknown>;
  readonly retryOptions?: Record<string, unknown>;
}

const http = (methods: string[], route: string) => ({ type: 'httpTrigger', direction: 'in', methods, route, authLevel: 'function' });
/** The page's functions: no function key (a browser cannot send one); the page checks access itself. */
const page = (methods: string[], route: string) => ({ ...http(methods, route), authLevel: 'anonymous' });
const serviceBus = (queueName: string) => ({ type: 'serviceBusTrigger', direction: 'in', queueName, connection: 'ServiceBusConnection' });

const expected: Record<string, Registration[]> = {
  intake: [
    { name: 'submitCommand', trigger: http(['POST'], 'commands/{commandType}') },
    { name: 'listCommands', trigger: http(['GET'], 'commands') },
    { name: 'getCommand', trigger: http(['GET'], 'commands/{commandId}') },
    { name: 'getCommandEvents', trigger: http(['GET'], 'commands/{commandId}/events') },
    { name: 'getCommandCost', trigger: http(['GET'], 'commands/{commandId}/cost') },
    { name: 'listCommandTypes', trigger: http(['GET'], 'command-types') },
    { name: 'countCommands', trigger: http(['GET'], 'command-counts') },
    { name: 'listDeadLetters', trigger: http(['GET'], 'queues/{queue}/dead-letters') },
    { name: 'peekDeadLetter', trigger: http(['GET'], 'queues/{queue}/dead-letters/{sequenceNumber}') },
    { name: 'resubmitDeadLetter', trigger: http(['POST'], 'queues/{queue}/dead-letters/{sequenceNumber}/resubmit') },
    { name: 'listStalledCommands', trigger: http(['GET'], 'stalled-commands') },
    { name: 'runSweep', trigger: http(['POST'], 'sweeps') },
    { name: 'commandListPage', trigger: page(['GET'], 'ui') },
    { name: 'commandTimelinePage', trigger: page(['GET'], 'ui/commands/{commandId}') },
    { name: 'deadLettersPage', trigger: page(['GET'], 'ui/dead-letters') },
    { name: 'pageListCommands', trigger: page(['GET'], 'ui/data/commands') },
    { name: 'pageCountCommands', trigger: page(['GET'], 'ui/data/command-counts') },
    { name: 'pageGetCommand', trigger: page(['GET'], 'ui/data/commands/{commandId}') },
    { name: 'pageGetCommandEvents', trigger: page(['GET'], 'ui/data/commands/{commandId}/events') },
    { name: 'pageListCommandTypes', trigger: page(['GET'], 'ui/data/command-types') },
    { name: 'pageListDeadLetters', trigger: page(['GET'], 'ui/data/queues/{queue}/dead-letters') },
    { name: 'pageListStalledCommands', trigger: page(['GET'], 'ui/data/stalled-commands') },
    { name: 'pagePeekDeadLetter', trigger: page(['GET'], 'ui/data/queues/{queue}/dead-letters/{sequenceNumber}') },
    { name: 'pageResubmitDeadLetter', trigger: page(['POST'], 'ui/data/queues/{queue}/dead-letters/{sequenceNumber}/resubmit') },
    { name: 'submitFromEventGrid', trigger: { type: 'eventGridTrigger', direction: 'in' } },
    { name: 'submitFromIncomingQueue', trigger: serviceBus('incoming') },
    {
      name: 'projectCommandList',
      trigger: {
        type: 'cosmosDBTrigger',
        direction: 'in',
        connection: 'COSMOS',
        databaseName: 'commandflow',
        containerName: 'events',
        leaseContainerName: 'leases',
        leaseContainerPrefix: 'command-list.',
        startFromBeginning: true,
      },
      // -1: retried until it succeeds, so the projector never drops a batch.
      retryOptions: { retryStrategy: 'exponentialBackoff', maxRetryCount: -1 },
    },
    // The stalled-command sweeper, every minute unless COMMANDFLOW_SWEEP_SCHEDULE says otherwise.
    { name: 'sweepStalledCommands', trigger: { type: 'timerTrigger', direction: 'in', schedule: '0 * * * * *' } },
  ],
  validator: [{ name: 'validateCommand', trigger: serviceBus('validate') }],
  executor: [{ name: 'executeCommand', trigger: serviceBus('execute') }],
};

const workspaceRoot = path.resolve(__dirname, '../../..');

/** The first (trigger) binding and retry options of each registered function's metadata. */
const summarise = (metadata: { name: string; bindings: Record<string, Record<string, unknown>>; retryOptions?: Record<string, unknown> }[]) =>
  metadata.map(({ name, bindings, retryOptions }) => ({ name, trigger: Object.values(bindings)[0], retryOptions }));

const registrationMatchers = (app: string) =>
  (expected[app] ?? []).map(({ name, trigger, retryOptions }) =>
    expect.objectContaining({ name, trigger: expect.objectContaining(trigger), ...(retryOptions ? { retryOptions: expect.objectContaining(retryOptions) } : {}) }),
  );

describe.each(Object.keys(expected))('the %s app registers exactly its functions', (app) => {
  it('from its source entry, with no settings at all and without connecting to anything', () => {
    const registerFunction = jest.fn();
    jest.isolateModules(() => {
      jest.doMock('@azure/functions-core', () => ({ registerFunction, setProgrammingModel: jest.fn(), registerHook: jest.fn(() => ({ dispose: () => undefined })), log: jest.fn() }), {
        virtual: true,
      });
      const saved = { ...process.env };
      process.env['MAX_DELIVERY_COUNT'] = 'not a number'; // would stop composition: registering must not compose
      try {
        require(path.join(workspaceRoot, `apps/${app}/src/main.ts`));
      } finally {
        process.env = saved;
      }
    });
    const registered = summarise(registerFunction.mock.calls.map(([metadata]) => metadata));
    expect(registered).toEqual(registrationMatchers(app));
  });

  it('from its deployable bundle (main.js, host.json, package.json), loaded where no other module exists', () => {
    const dir = mkdtempSync(path.join(tmpdir(), `commandflow-${app}-`));
    try {
      const bundle = path.join(dir, 'app');
      execFileSync(process.execPath, [path.join(workspaceRoot, 'tools/function-apps/buildFunctionApp.mjs'), app, bundle], { cwd: workspaceRoot });
      expect(JSON.parse(readFileSync(path.join(bundle, 'package.json'), 'utf8'))).toMatchObject({ main: 'main.js', engines: { node: '>=22' } });
      expect(JSON.parse(readFileSync(path.join(bundle, 'host.json'), 'utf8'))).toMatchObject({
        version: '2.0',
        extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
        // Every invocation, successful or not, reaches Application Insights as a request, unsampled.
        logging: {
          logLevel: { 'Host.Results': 'Information', Function: 'Information' },
          applicationInsights: { samplingSettings: { excludedTypes: 'Request' } },
        },
      });
      const core = path.join(dir, 'node_modules/@azure/functions-core');
      mkdirSync(core, { recursive: true });
      writeFileSync(
        path.join(core, 'index.js'),
        `const registered = [], hooks = [];
         process.on('exit', () => process.stdout.write(JSON.stringify({ registered, hooks })));
         module.exports = { registerFunction: (metadata) => registered.push(metadata), setProgrammingModel() {}, registerHook: (name) => (hooks.push(name), { dispose() {} }), log() {} };`,
      );
      const load = (env: Record<string, string>) =>
        JSON.parse(
          // Exits right after loading: the exporters' timers would keep a worker alive, as the host does anyway.
          execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(bundle, 'main.js'))}); process.exit(0)`], {
            cwd: dir,
            env: { PATH: process.env['PATH'] ?? '', ...env },
            encoding: 'utf8',
            timeout: 20_000,
          }),
        ) as { registered: Parameters<typeof summarise>[0]; hooks: string[] };
      const bare = load({});
      expect(summarise(bare.registered)).toEqual(registrationMatchers(app));
      expect(bare.hooks).toEqual(['appTerminate']);
      // As on Azure: telemetry to Application Insights (never reached here), with the app's identity.
      const onAzure = load({
        APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:9/',
        AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000c1',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
      });
      expect(summarise(onAzure.registered)).toEqual(registrationMatchers(app));
      // The Azure Functions OpenTelemetry instrumentation hooked the worker's logs and every invocation.
      expect(onAzure.hooks.sort()).toEqual(['appTerminate', 'log', 'preInvocation']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("intake's sweeper timer", () => {
  /** Loads intake's source entry with `env` and returns what it registered. */
  const registeredWith = (env: Record<string, string>) => {
    const registerFunction = jest.fn();
    jest.isolateModules(() => {
      jest.doMock('@azure/functions-core', () => ({ registerFunction, setProgrammingModel: jest.fn(), registerHook: jest.fn(() => ({ dispose: () => undefined })), log: jest.fn() }), {
        virtual: true,
      });
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        require(path.join(workspaceRoot, 'apps/intake/src/main.ts'));
      } finally {
        process.env = saved;
      }
    });
    return summarise(registerFunction.mock.calls.map(([metadata]) => metadata));
  };

  it('runs on COMMANDFLOW_SWEEP_SCHEDULE', () => {
    expect(registeredWith({ COMMANDFLOW_SWEEP_SCHEDULE: '*/30 * * * * *' })).toContainEqual(
      expect.objectContaining({ name: 'sweepStalledCommands', trigger: expect.objectContaining({ type: 'timerTrigger', schedule: '*/30 * * * * *' }) }),
    );
  });

  it('stops the app at registration, naming the setting, when the schedule is not NCRONTAB', () => {
    expect(() => registeredWith({ COMMANDFLOW_SWEEP_SCHEDULE: '*/5 * * * *' })).toThrow(/^Setting COMMANDFLOW_SWEEP_SCHEDULE is not a usable NCRONTAB schedule/);
  });
});
