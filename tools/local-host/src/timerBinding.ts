import type { TimerFunctionDefinition } from '@commandflow/functions';
import { invoke } from './invocation';
import type { InvocationLog } from './invocationLog';

// Matches one NCRONTAB field against a value: *, */n, a-b, a,b or a-b/n.
function fieldMatches(field: string, value: number): boolean {
  return field.split(',').some((part) => {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (range === '*') return value % step === 0;
    const [from, to] = (range ?? '').split('-').map(Number);
    const upper = to ?? (stepText === undefined ? from : Number.MAX_SAFE_INTEGER);
    return from !== undefined && value >= from && value <= (upper as number) && (value - from) % step === 0;
  });
}

/** Whether a six-field NCRONTAB schedule (`sec min hour day month weekday`) fires at `date` (UTC). */
export function scheduleMatches(schedule: string, date: Date): boolean {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`Timer schedule ${JSON.stringify(schedule)}: expected six NCRONTAB fields`);
  const values = [date.getUTCSeconds(), date.getUTCMinutes(), date.getUTCHours(), date.getUTCDate(), date.getUTCMonth() + 1, date.getUTCDay()];
  return fields.every((field, index) => fieldMatches(field, values[index] as number));
}

/** Fires the timer function on every second its schedule matches. */
export function bindTimer(app: string, definition: TimerFunctionDefinition, log: InvocationLog): { stop(): Promise<void> } {
  scheduleMatches(definition.options.schedule, new Date());
  let last = 0;
  const interval = setInterval(() => {
    const second = Math.floor(Date.now() / 1000);
    if (second === last || !scheduleMatches(definition.options.schedule, new Date(second * 1000))) return;
    last = second;
    void invoke(app, definition.name, log, { triggerMetadata: {} }, async (context) =>
      definition.options.handler({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: {} } as never, context),
    ).catch(() => undefined);
  }, 200);
  return { stop: async () => clearInterval(interval) };
}
