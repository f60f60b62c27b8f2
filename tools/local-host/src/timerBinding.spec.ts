import type { TimerFunctionDefinition } from '@commandflow/functions';
import type { InvocationRecord } from './invocationLog';
import { bindTimer } from './timerBinding';

const timer = (schedule: string, handler: TimerFunctionDefinition['options']['handler']): TimerFunctionDefinition => ({
  kind: 'timer',
  name: 'tick',
  options: { schedule, handler },
});

describe('bindTimer', () => {
  it('fires the function on its six-field schedule (seconds first), logs each invocation, and stops', async () => {
    const records: InvocationRecord[] = [];
    let fired!: () => void;
    const firstFiring = new Promise<void>((resolve) => (fired = resolve));
    const calls: unknown[] = [];
    const binding = bindTimer('intake', timer('* * * * * *', async (info) => (calls.push(info), fired())), (record) => records.push(record));
    await firstFiring;
    await binding.stop();
    const after = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(calls.length).toBe(after);
    expect(calls[0]).toMatchObject({ isPastDue: false });
    expect(records[0]).toMatchObject({ app: 'intake', functionName: 'tick', outcome: 'Succeeded' });
  }, 15_000);

  it('keeps the schedule after an invocation fails, and skips a firing while one still runs', async () => {
    const records: InvocationRecord[] = [];
    let invocations = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const binding = bindTimer(
      'intake',
      timer('* * * * * *', async () => {
        invocations++;
        if (invocations === 1) throw new Error('first tick fails');
        await held;
      }),
      (record) => records.push(record),
    );
    while (invocations < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 2_200)); // two more firings, while the second still runs
    expect(invocations).toBe(2);
    release();
    await binding.stop();
    expect(records.map((record) => record.outcome)).toEqual(['Failed (Error: first tick fails)', 'Succeeded']);
  }, 15_000);

  it('refuses a schedule that is not cron', () => {
    expect(() => bindTimer('intake', timer('every minute', async () => undefined), () => undefined)).toThrow();
  });
});
