import { InMemoryEventStore } from '@commandflow/event-store';
import { testEvent, testEvents } from '@commandflow/event-store/testing';
import { InMemoryQueues } from '@commandflow/messaging';
import { InMemoryUsageStore } from './inMemoryUsageStore';
import { meteredEventStore, meteredMessageSender } from './meteredPorts';
import { defaultPriceTable, requestUnitTableOf } from './priceTable';
import { estimateRequestUnits } from './requestUnitEstimate';
import type { StepUsage } from './stepUsage';
import { currentUsageTally, UsageMeter, type UsageMeterOptions } from './usageMeter';
import type { UsageStore } from './usageStore';

const units = requestUnitTableOf(defaultPriceTable);
const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** A store that keeps every batch it is given, to count the writes. */
class BatchRecordingStore implements UsageStore {
  readonly batches: StepUsage[][] = [];
  private readonly inner = new InMemoryUsageStore();
  async append(records: readonly StepUsage[]) {
    this.batches.push([...records]);
    await this.inner.append(records);
  }
  usageOf(commandId: string) {
    return this.inner.usageOf(commandId);
  }
}

function meterOn(store: UsageStore, options: Partial<UsageMeterOptions> = {}) {
  let ids = 0;
  let clock = 0;
  const meter = new UsageMeter(store, {
    now: () => new Date(Date.UTC(2026, 11, 1, 10, 0, ids)),
    newId: () => `inv-${++ids}`,
    elapsed: () => (clock += 5),
    flushIntervalMs: 60_000,
    ...options,
  });
  return meter;
}

describe('UsageMeter with the metered ports', () => {
  it('records what one invocation read, wrote and sent, with request units estimated from the published charges', async () => {
    const store = new BatchRecordingStore();
    const meter = meterOn(store);
    const eventStore = meteredEventStore(new InMemoryEventStore(), units);
    const sender = meteredMessageSender(new InMemoryQueues());
    const written = testEvents(3);
    await meter.measure({ step: 'validate', commandId: 'c-1', messagesReceived: 1 }, async () => {
      await eventStore.readStream('command-c-1');
      await eventStore.appendToStream('command-c-1', written, { expectedVersion: 'no-stream' });
      const { events } = await eventStore.readStream('command-c-1');
      expect(events).toHaveLength(3);
      await sender.send('execute', { messageId: 'c-1:execute', body: { commandId: 'c-1' } });
    });
    await meter.close();
    const read = (await new InMemoryEventStore().readStream('x')).events; // an empty read
    const { events: stored } = await eventStore.readStream('command-c-1');
    const expectedUnits =
      estimateRequestUnits(units, 'read', bytesOf(read)) +
      estimateRequestUnits(units, 'read', bytesOf(stored)) +
      stored.reduce((sum, event) => sum + estimateRequestUnits(units, 'write', bytesOf(event)), 0);
    expect(await store.usageOf('c-1')).toEqual([
      {
        invocationId: 'inv-1',
        commandId: 'c-1',
        step: 'validate',
        startedAt: '2026-12-01T10:00:00.000Z',
        outcome: 'succeeded',
        executionMilliseconds: 5,
        storeReads: 2,
        storeBytesRead: bytesOf(read) + bytesOf(stored),
        storeWrites: 1,
        storeBytesWritten: stored.reduce((sum, event) => sum + bytesOf(event), 0), // as stored: with stream id and version
        eventsWritten: 3,
        requestUnits: expectedUnits,
        requestUnitsMeasured: false,
        messagesSent: 1,
        messagesReceived: 1,
      },
    ]);
    expect(expectedUnits).toBeCloseTo(2 * 1 + 3 * 4.95, 10); // small documents: the 1 KB charges
  });

  it('replaces the estimate with the measured request charges once a response reports one', async () => {
    const store = new InMemoryUsageStore();
    const meter = meterOn(store);
    const eventStore = meteredEventStore(new InMemoryEventStore(), units);
    await meter.measure({ step: 'log', commandId: 'c-2', messagesReceived: 0 }, async () => {
      await eventStore.appendToStream('command-c-2', [testEvent(1)], { expectedVersion: 'no-stream' });
      currentUsageTally()?.addRequestCharge(6.1);
      currentUsageTally()?.addRequestCharge(1.2);
    });
    await meter.close();
    expect(await store.usageOf('c-2')).toMatchObject([{ requestUnits: 7.3, requestUnitsMeasured: true, storeWrites: 1 }]);
  });

  it('keeps concurrent invocations apart and counts nothing outside one', async () => {
    const store = new InMemoryUsageStore();
    const meter = meterOn(store);
    const eventStore = meteredEventStore(new InMemoryEventStore(), units);
    const sender = meteredMessageSender(new InMemoryQueues());
    const invocation = (commandId: string, sends: number) =>
      meter.measure({ step: 'execute', commandId, messagesReceived: 1 }, async () => {
        for (let i = 0; i < sends; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          await sender.send('q', { messageId: `${commandId}-${i}`, body: { commandId } });
          await eventStore.readStream(`command-${commandId}`);
        }
      });
    await Promise.all([invocation('c-3', 3), invocation('c-4', 5), sender.send('q', { messageId: 'outside', body: {} })]);
    await eventStore.readStream('command-outside');
    await meter.close();
    expect(await store.usageOf('c-3')).toMatchObject([{ messagesSent: 3, storeReads: 3 }]);
    expect(await store.usageOf('c-4')).toMatchObject([{ messagesSent: 5, storeReads: 5 }]);
    expect(currentUsageTally()).toBeUndefined();
  });

  it('records a failed invocation, takes a command id from the result, and records nothing that names no command', async () => {
    const store = new InMemoryUsageStore();
    const meter = meterOn(store);
    await expect(meter.measure({ step: 'execute', commandId: 'c-5', messagesReceived: 1 }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await meter.measure({ step: 'log', messagesReceived: 0 }, async () => ({ commandId: 'c-6' }), (result) => result.commandId);
    await meter.measure({ step: 'log', messagesReceived: 0 }, async () => undefined);
    await expect(meter.measure({ step: 'log', messagesReceived: 0 }, async () => Promise.reject(new Error('bad request')))).rejects.toThrow();
    await meter.close();
    expect(await store.usageOf('c-5')).toMatchObject([{ outcome: 'failed', step: 'execute' }]);
    expect(await store.usageOf('c-6')).toMatchObject([{ outcome: 'succeeded', step: 'log', messagesReceived: 0 }]);
    expect(meter.pending).toBe(0);
  });
});

describe('UsageMeter batching', () => {
  const run = (meter: UsageMeter, commandId: string) => meter.measure({ step: 'validate', commandId, messagesReceived: 1 }, async () => undefined);

  it('writes nothing during an invocation: records wait and are written together, one append per flush', async () => {
    const store = new BatchRecordingStore();
    const meter = meterOn(store);
    for (let i = 0; i < 10; i++) await run(meter, `c-${i}`);
    expect(store.batches).toHaveLength(0);
    expect(meter.pending).toBe(10);
    await meter.flush();
    await meter.flush();
    expect(store.batches.map((batch) => batch.length)).toEqual([10]);
  });

  it('flushes on its timer and at once when a full batch waits', async () => {
    const store = new BatchRecordingStore();
    const meter = meterOn(store, { flushIntervalMs: 20, maxBatch: 4 });
    for (let i = 0; i < 5; i++) await run(meter, `c-${i}`);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.batches.map((batch) => batch.length)).toEqual([4, 1]);
  });

  it('reports a batch it could not write and carries on', async () => {
    const failures: number[] = [];
    const failing: UsageStore = { append: async () => Promise.reject(new Error('disk full')), usageOf: async () => [] };
    const meter = meterOn(failing, { onFlushError: (_error, dropped) => failures.push(dropped) });
    await run(meter, 'c-1');
    await run(meter, 'c-2');
    await expect(meter.close()).resolves.toBeUndefined();
    expect(failures).toEqual([2]);
  });
});
