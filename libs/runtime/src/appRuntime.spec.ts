import { CosmosCommandListStore, CosmosEventStore } from '@commandflow/cosmos';
import { ServiceBusMessageSender } from '@commandflow/service-bus';
import { CommandCatalogue } from '@commandflow/workflow';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeAppRuntimes, openAppRuntime } from './appRuntime';

const catalogue = new CommandCatalogue([]);
const cosmos = { COSMOS__accountEndpoint: 'https://commandflow-test.documents.azure.com:443/' };
const serviceBus = { ServiceBusConnection__fullyQualifiedNamespace: 'commandflow-test.servicebus.windows.net' };

describe('openAppRuntime picks the adapters the settings name (building them connects to nothing)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'runtime-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const database = () => ({ COMMANDFLOW_DATABASE: path.join(dir, 'app.db') });

  it('with no Azure settings: the embedded SQLite store and queue', async () => {
    const { SqliteEventStore, SqliteQueue } = await import('@commandflow/sqlite'); // loaded lazily, as the runtime does
    const runtime = await openAppRuntime(database(), catalogue);
    expect(runtime.eventStore).toBeInstanceOf(SqliteEventStore);
    expect(runtime.sender).toBeInstanceOf(SqliteQueue);
    expect(runtime.workflow.eventStore).toBe(runtime.eventStore);
  });

  it('with Cosmos DB and Service Bus settings (as deployed): Cosmos DB stores and the Service Bus sender', async () => {
    const runtime = await openAppRuntime({ ...cosmos, ...serviceBus, COMMANDFLOW_DATABASE: '/nonexistent/never-opened.db' }, catalogue);
    expect(runtime.eventStore).toBeInstanceOf(CosmosEventStore);
    expect(runtime.listStore).toBeInstanceOf(CosmosCommandListStore);
    expect(runtime.sender).toBeInstanceOf(ServiceBusMessageSender);
  });

  it('closes what it opened when the process ends (closeAppRuntimes)', async () => {
    const { SqliteEventStore } = await import('@commandflow/sqlite');
    const runtime = await openAppRuntime(database(), catalogue);
    await closeAppRuntimes();
    await expect(runtime.eventStore.readStream('command-x')).rejects.toThrow(/not open/);
    const reopened = await openAppRuntime(database(), catalogue);
    expect(reopened.eventStore).not.toBe(runtime.eventStore);
    expect(reopened.eventStore).toBeInstanceOf(SqliteEventStore);
    await closeAppRuntimes();
  });

  it('with only Cosmos DB settings: Cosmos DB stores and the local queue', async () => {
    const runtime = await openAppRuntime({ ...cosmos, ...database() }, catalogue);
    expect(runtime.eventStore).toBeInstanceOf(CosmosEventStore);
    expect(runtime.sender.constructor.name).toBe('SqliteQueue');
  });

  it('stops with an error naming a bad Azure setting', async () => {
    await expect(openAppRuntime({ COSMOS__accountEndpoint: 'not a url', ...database() }, catalogue)).rejects.toThrow(/COSMOS__accountEndpoint/);
    await expect(openAppRuntime({ ServiceBusConnection__fullyQualifiedNamespace: 'not a namespace!', ...database() }, catalogue)).rejects.toThrow(
      /ServiceBusConnection__fullyQualifiedNamespace/,
    );
  });
});
