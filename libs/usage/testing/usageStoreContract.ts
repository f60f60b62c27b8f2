import type { StepUsage, UsageStore } from '../src';

export interface UsageStoreFixture {
  /** An empty store. */
  readonly store: UsageStore;
  dispose?(): Promise<void> | void;
}

let invocations = 0;

/** A usage record for store tests. */
export function stepUsage(commandId: string, step: string, startedAt: string, overrides: Partial<StepUsage> = {}): StepUsage {
  return {
    invocationId: `inv-${(++invocations).toString().padStart(5, '0')}`,
    commandId,
    step,
    startedAt,
    outcome: 'succeeded',
    executionMilliseconds: 12.5,
    storeReads: 1,
    storeBytesRead: 2048,
    storeWrites: 1,
    storeBytesWritten: 512,
    eventsWritten: 2,
    requestUnits: 10.9,
    requestUnitsMeasured: false,
    messagesSent: 1,
    messagesReceived: 1,
    ...overrides,
  };
}

/**
 * The behaviour every UsageStore adapter must have: a batch is stored whole, records come back
 * per command oldest first with every field intact, a repeated invocation id is stored once.
 */
export function describeUsageStoreContract(adapterName: string, createFixture: () => Promise<UsageStoreFixture>): void {
  describe(`${adapterName} (usage store contract)`, () => {
    let fixture: UsageStoreFixture;
    let store: UsageStore;
    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterEach(async () => fixture.dispose?.());

    it('returns nothing for a command it has no record of', async () => {
      expect(await store.usageOf('cmd-unknown')).toEqual([]);
    });

    it('returns a command’s records oldest first, every field as written, and no other command’s', async () => {
      const later = stepUsage('cmd-a', 'execute', '2026-12-01T10:00:02.000Z', { requestUnitsMeasured: true, requestUnits: 7, outcome: 'failed' });
      const first = stepUsage('cmd-a', 'log', '2026-12-01T10:00:00.000Z', { messagesReceived: 0 });
      const other = stepUsage('cmd-b', 'log', '2026-12-01T10:00:01.000Z');
      await store.append([later, other]);
      await store.append([first]);
      expect(await store.usageOf('cmd-a')).toEqual([first, later]);
      expect(await store.usageOf('cmd-b')).toEqual([other]);
    });

    it('orders records that started at the same instant by invocation id', async () => {
      const at = '2026-12-01T10:00:00.000Z';
      const [a, b] = [stepUsage('cmd-c', 'validate', at), stepUsage('cmd-c', 'validate', at)];
      await store.append([b!, a!]);
      expect((await store.usageOf('cmd-c')).map((record) => record.invocationId)).toEqual([a!.invocationId, b!.invocationId]);
    });

    it('stores a record appended twice (a retried flush) once', async () => {
      const record = stepUsage('cmd-d', 'log', '2026-12-01T10:00:00.000Z');
      await store.append([record]);
      await store.append([record, stepUsage('cmd-d', 'validate', '2026-12-01T10:00:01.000Z')]);
      expect(await store.usageOf('cmd-d')).toHaveLength(2);
    });

    it('accepts an empty batch', async () => {
      await expect(store.append([])).resolves.toBeUndefined();
    });
  });
}
