import type { FunctionDefinition, FunctionRegistrar } from './functionDefinition';
import { registerFunctions } from './functionDefinition';
import { onFirstUse } from './onFirstUse';

const handler = async () => ({ status: 200 });

describe('registerFunctions', () => {
  it('registers each definition with the matching @azure/functions method, by name and options', () => {
    const calls: [string, string, unknown][] = [];
    const record = (method: string) => (name: string, options: unknown) => void calls.push([method, name, options]);
    const registrar = {
      http: record('http'),
      eventGrid: record('eventGrid'),
      serviceBusQueue: record('serviceBusQueue'),
      cosmosDB: record('cosmosDB'),
      timer: record('timer'),
    } as unknown as FunctionRegistrar;
    const definitions: FunctionDefinition[] = [
      { kind: 'http', name: 'a', options: { methods: ['GET'], route: 'a', authLevel: 'function', handler } },
      { kind: 'eventGrid', name: 'b', options: { handler } },
      { kind: 'serviceBusQueue', name: 'c', options: { queueName: 'q', connection: 'SB', handler } },
      {
        kind: 'cosmosDBChangeFeed',
        name: 'd',
        options: { connection: 'C', databaseName: 'db', containerName: 'events', leaseContainerName: 'leases', leaseContainerPrefix: 'p.', handler },
      },
      { kind: 'timer', name: 'e', options: { schedule: '0 */5 * * * *', handler } },
    ];
    registerFunctions(registrar, definitions);
    expect(calls.map(([method, name]) => [method, name])).toEqual([
      ['http', 'a'],
      ['eventGrid', 'b'],
      ['serviceBusQueue', 'c'],
      ['cosmosDB', 'd'],
      ['timer', 'e'],
    ]);
    expect(calls[2]?.[2]).toBe(definitions[2]?.options);
  });
});

describe('onFirstUse', () => {
  it('builds once, on first use, and shares the result', async () => {
    let builds = 0;
    const services = onFirstUse(() => ++builds);
    expect(builds).toBe(0);
    await expect(Promise.all([services(), services()])).resolves.toEqual([1, 1]);
    await expect(services()).resolves.toBe(1);
  });

  it('retries a failed build on the next use instead of caching the failure', async () => {
    let attempts = 0;
    const services = onFirstUse(() => {
      if (++attempts === 1) throw new Error('settings missing');
      return 'ready';
    });
    await expect(services()).rejects.toThrow('settings missing');
    await expect(services()).resolves.toBe('ready');
  });
});
