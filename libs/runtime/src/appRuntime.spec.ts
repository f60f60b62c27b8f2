import { CosmosCommandListStore, CosmosEventStore } from '@commandflow/cosmos';
import { ServiceBusDeadLetters, ServiceBusMessageSender } from '@commandflow/service-bus';
import { CommandCatalogue } from '@commandflow/workflow';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeAppRuntimes, openAppRuntime } from './appRuntime';

const catalogue = new CommandCatalogue([]);
const cosmos = { COSMOS__accountEndpoint: 'https://commandflow-test.documents.azure.com:443/' };
const serviceBus = { ServiceBusConnection__fullyQualifiedNamespace: 'commandflow-test.servicebus.windows.net' };

describe('openAppRuntime builds the adapters of the back end its host names (building them connects to nothing)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'runtime-'))));
  afterEach(async () => {
    await closeAppRuntimes();
    rmSync(dir, { recursive: true, force: true });
  });
  const database = () => ({ COMMANDFLOW_DATABASE: path.join(dir, 'app.db') });

  it('embedded (the local host): the SQLite store and queue, whatever Azure settings are present', async () => {
    const { SqliteEventStore, SqliteQueue } = await import('@commandflow/sqlite'); // loaded lazily, as the runtime does
    const runtime = await openAppRuntime({ ...database(), ...cosmos, ...serviceBus }, 'embedded', catalogue);
    expect(runtime.eventStore).toBeInstanceOf(SqliteEventStore);
    expect(runtime.sender).toBeInstanceOf(SqliteQueue);
    expect(runtime.deadLetters).toBe(runtime.sender);
    // The workflow's ports are the same stores behind the cost meter.
    expect(runtime.meter).toBeDefined();
    expect(runtime.workflow.eventStore).not.toBe(runtime.eventStore);
    expect(await runtime.workflow.eventStore.readStream('command-x')).toEqual(await runtime.eventStore.readStream('command-x'));
  });

  it('embedded with the meter off: the workflow runs on the stores themselves, and nothing is metered', async () => {
    const runtime = await openAppRuntime({ ...database(), COMMANDFLOW_USAGE_METER: 'off' }, 'embedded', catalogue);
    expect(runtime.meter).toBeUndefined();
    expect(runtime.workflow.eventStore).toBe(runtime.eventStore);
    expect(runtime.workflow.sender).toBe(runtime.sender);
  });

  it('azure: Cosmos DB stores, the Service Bus sender and dead letters, and never the SQLite file', async () => {
    const runtime = await openAppRuntime({ ...cosmos, ...serviceBus, COMMANDFLOW_DATABASE: '/nonexistent/never-opened.db' }, 'azure', catalogue);
    expect(runtime.eventStore).toBeInstanceOf(CosmosEventStore);
    expect(runtime.listStore).toBeInstanceOf(CosmosCommandListStore);
    expect(runtime.sender).toBeInstanceOf(ServiceBusMessageSender);
    expect(runtime.deadLetters).toBeInstanceOf(ServiceBusDeadLetters);
  });

  it.each([
    ['no Azure setting at all', {}, /^Setting COSMOS__accountEndpoint is required/],
    ['Cosmos DB without Service Bus', cosmos, /^Setting ServiceBusConnection__fullyQualifiedNamespace is required/],
    ['Service Bus without Cosmos DB', serviceBus, /^Setting COSMOS__accountEndpoint is required/],
    ['a bad Cosmos DB endpoint', { ...serviceBus, COSMOS__accountEndpoint: 'not a url' }, /^Setting COSMOS__accountEndpoint must be an https URL/],
    ['a bad namespace', { ...cosmos, ServiceBusConnection__fullyQualifiedNamespace: 'not a namespace!' }, /^Setting ServiceBusConnection__fullyQualifiedNamespace must be a host name/],
  ])('azure with %s: stops with an error naming the setting, and opens no SQLite file', async (_label, env, message) => {
    await expect(openAppRuntime({ ...env, ...database() }, 'azure', catalogue)).rejects.toThrow(message);
    expect(existsSync(database().COMMANDFLOW_DATABASE)).toBe(false);
  });

  it('closes what it opened when the process ends (closeAppRuntimes)', async () => {
    const runtime = await openAppRuntime(database(), 'embedded', catalogue);
    await closeAppRuntimes();
    await expect(runtime.eventStore.readStream('command-x')).rejects.toThrow(/not open/);
    const reopened = await openAppRuntime(database(), 'embedded', catalogue);
    expect(reopened.eventStore).not.toBe(runtime.eventStore);
  });
});
