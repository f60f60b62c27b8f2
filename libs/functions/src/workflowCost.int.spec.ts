import { InvocationContext } from '@azure/functions';
import { sampleCatalogue } from '@commandflow/commands';
import { CosmosEventStore } from '@commandflow/cosmos';
import { startCosmosTestServer, type CosmosTestServer } from '@commandflow/cosmos/testing';
import { commandStreamId, type EventEnvelope } from '@commandflow/events';
import type { EventStore } from '@commandflow/event-store';
import { InMemoryQueues, type PeekLockQueue } from '@commandflow/messaging';
import { closeAppRuntimes, meteredPorts, openAppRuntime, usageCosmosMeter, type UsageSettings } from '@commandflow/runtime';
import { openEmbeddedStores } from '@commandflow/sqlite';
import { TemporaryDatabase } from '@commandflow/sqlite/testing';
import {
  InMemoryUsageStore,
  UsageMeter,
  commandCost,
  defaultPriceTable,
  estimateRequestUnits,
  requestUnitTableOf,
  type CommandCost,
  type UsageStore,
} from '@commandflow/usage';
import { defaultDeliveryPolicy, logCommand } from '@commandflow/workflow';
import { stepFunction, type StepServices } from './stepFunction';

/**
 * The cost of a known workflow (a valid create-league: log, validate, execute) matches the
 * operations it is known to make, counted from its streams: on the embedded default as the local
 * host composes it, and on Cosmos DB through the test server, whose every response is charged 1 RU.
 */
const units = requestUnitTableOf(defaultPriceTable);
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Runs the log step as intake does, then every queued step message through the Service Bus trigger, as a host does. */
async function runWorkflow(services: Required<StepServices>, queue: PeekLockQueue): Promise<string> {
  const { commandId } = await services.meter.measure(
    { step: 'log', messagesReceived: 0 },
    () => logCommand(services.workflow, { commandType: 'create-league', parameters: { leagueName: 'Owls', email: 'o@owls.example' }, actor: 'tester', source: 'http' }),
    (outcome) => outcome.commandId,
  );
  const triggers = { validate: stepFunction('validateCommand', 'validate', async () => services), execute: stepFunction('executeCommand', 'execute', async () => services) };
  for (let delivered = true; delivered; ) {
    delivered = false;
    for (const name of ['validate', 'execute'] as const) {
      const [message] = await queue.receive(name);
      if (!message) continue;
      delivered = true;
      const triggerMetadata = { messageId: message.messageId, deliveryCount: message.deliveryCount, applicationProperties: message.properties };
      await triggers[name].options.handler(message.body, new InvocationContext({ functionName: name, invocationId: message.messageId, triggerMetadata, logHandler: () => undefined }));
      await queue.complete(message);
    }
  }
  await services.meter.flush();
  return commandId;
}

/** What the known workflow does, by step, counted from its streams as they end. */
async function expectedUsage(eventStore: EventStore, commandId: string) {
  const { events: command } = await eventStore.readStream(commandStreamId(commandId));
  const { events: league } = await eventStore.readStream('league-owls');
  expect(command.map((event) => event.type)).toEqual(['CommandCreated', 'ParameterSet', 'ParameterSet', 'ValidationSucceeded', 'CommandCompleted']);
  expect(league.map((event) => event.type)).toEqual(['LeagueFormed', 'ContactDetailsChanged']);
  const reads = (...slices: (readonly EventEnvelope[])[]) => ({
    storeReads: slices.length,
    storeBytesRead: sum(slices.map(bytes)),
    readUnits: sum(slices.map((slice) => estimateRequestUnits(units, 'read', bytes(slice)))),
  });
  const writes = (...appends: (readonly EventEnvelope[])[]) => ({
    storeWrites: appends.length,
    eventsWritten: sum(appends.map((events) => events.length)),
    storeBytesWritten: sum(appends.flat().map(bytes)),
    writeUnits: sum(appends.flat().map((event) => estimateRequestUnits(units, 'write', bytes(event)))),
  });
  return {
    // log: reads the (empty) stream, appends CommandCreated and two ParameterSet, sends to validate.
    log: { ...reads([]), ...writes(command.slice(0, 3)), messagesSent: 1, messagesReceived: 0 },
    // validate: reads the stream, the name rule reads the league's first event (none yet), appends ValidationSucceeded, sends to execute.
    validate: { ...reads(command.slice(0, 3), []), ...writes(command.slice(3, 4)), messagesSent: 1, messagesReceived: 1 },
    // execute: reads the stream, recordOnce reads the league stream (empty), appends the league's events, then CommandCompleted.
    execute: { ...reads(command.slice(0, 4), []), ...writes(league, command.slice(4, 5)), messagesSent: 0, messagesReceived: 1 },
  };
}

function expectFigures(cost: CommandCost, expected: Awaited<ReturnType<typeof expectedUsage>>, requestUnits: { readonly measured?: number }) {
  const steps = [expected.log, expected.validate, expected.execute];
  expect(cost.steps.map(({ step, outcome }) => [step, outcome])).toEqual([['log', 'succeeded'], ['validate', 'succeeded'], ['execute', 'succeeded']]);
  cost.steps.forEach((record, index) => {
    const { readUnits, writeUnits, ...counts } = steps[index]!;
    expect(record).toMatchObject(counts);
    if (requestUnits.measured === undefined) expect(record.requestUnits).toBeCloseTo(readUnits + writeUnits, 10);
  });
  const total = (name: keyof (typeof steps)[number]) => sum(steps.map((step) => step[name]));
  expect(cost.perWorkflow).toMatchObject({
    executions: 3,
    storeReads: total('storeReads'),
    storeBytesRead: total('storeBytesRead'),
    storeWrites: total('storeWrites'),
    storeBytesWritten: total('storeBytesWritten'),
    eventsWritten: total('eventsWritten'),
    messagesSent: 2,
    messagesReceived: 2,
    serviceBusOperations: 2 + 2 * 2,
    requestUnitsBasis: requestUnits.measured === undefined ? 'estimated' : 'measured',
  });
  const expectedUnits = requestUnits.measured ?? total('readUnits') + total('writeUnits');
  expect(cost.perWorkflow.requestUnits).toBeCloseTo(expectedUnits, 10);
  // The price is the table's prices times these counts, nothing else.
  const { prices, assumptions } = defaultPriceTable;
  const gigabyteSeconds = (cost.perWorkflow.executionMilliseconds / 1000) * (assumptions.flexConsumptionInstanceMemoryMegabytes.value / 1024);
  expect(cost.usdPerMillionWorkflows.total).toBeCloseTo(
    expectedUnits * prices.cosmosDbServerlessUsdPerMillionRequestUnits.value +
      6 * prices.serviceBusStandardUsdPerMillionOperations.value +
      3 * prices.flexConsumptionUsdPerMillionExecutions.value +
      gigabyteSeconds * prices.flexConsumptionUsdPerGigabyteSecond.value * 1_000_000,
    9,
  );
}

describe('the cost of a known workflow', () => {
  it('on the embedded default (SQLite, composed as the local host composes it): every operation counted, request units estimated from the published charges', async () => {
    const temporary = new TemporaryDatabase();
    try {
      const env = { COMMANDFLOW_DATABASE: temporary.path };
      const runtime = await openAppRuntime(env, 'embedded', sampleCatalogue());
      const meter = runtime.meter as UsageMeter;
      const { queue } = openEmbeddedStores({ path: temporary.path }); // the same stores, opened once per file and process
      const commandId = await runWorkflow({ workflow: runtime.workflow, delivery: runtime.delivery, meter }, queue);
      const cost = commandCost(commandId, await runtime.usage.usageOf(commandId), runtime.prices);
      expectFigures(cost, await expectedUsage(runtime.eventStore, commandId), {});
    } finally {
      await closeAppRuntimes();
      temporary.dispose();
    }
  });

  describe('on Cosmos DB (the test server)', () => {
    let server: CosmosTestServer;
    beforeAll(async () => {
      server = await startCosmosTestServer();
    });
    afterAll(() => server.close());

    it('request units measured from the responses: one per request the event store made', async () => {
      const { events } = await server.freshDatabase();
      const store = new CosmosEventStore(events, { meter: usageCosmosMeter });
      const queues = new InMemoryQueues();
      const usage: UsageStore = new InMemoryUsageStore();
      const settings: UsageSettings = { metered: true, prices: defaultPriceTable };
      let ids = 0;
      const workflow = { ...meteredPorts({ eventStore: store, sender: queues }, settings), catalogue: sampleCatalogue(), now: () => new Date(), newId: () => `00000000-0000-4000-8000-${(++ids).toString().padStart(12, '0')}` };
      const meter = new UsageMeter(usage, { now: () => new Date(), newId: workflow.newId });
      const before = server.documentRequests();
      const commandId = await runWorkflow({ workflow, delivery: defaultDeliveryPolicy, meter }, queues);
      const requests = server.documentRequests() - before;
      const cost = commandCost(commandId, await usage.usageOf(commandId), defaultPriceTable);
      expect(requests).toBeGreaterThanOrEqual(cost.perWorkflow.storeReads + cost.perWorkflow.storeWrites);
      expectFigures(cost, await expectedUsage(store, commandId), { measured: requests });
    });
  });
});
