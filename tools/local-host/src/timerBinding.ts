import { Cron } from 'croner';
import type { TimerFunctionDefinition } from '@commandflow/functions';
import { invoke } from './invocation';
import type { InvocationLog } from './invocationLog';

/**
 * Fires the timer function on its six-field NCRONTAB schedule (`sec min hour day month weekday`,
 * UTC), as the Functions host does: one invocation at a time (a firing while the last still runs
 * is skipped), a failed invocation logged and the schedule kept. A bad schedule throws here.
 */
export function bindTimer(app: string, definition: TimerFunctionDefinition, log: InvocationLog): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const job = new Cron(definition.options.schedule, { timezone: 'UTC', protect: true }, async () => {
    running = invoke(app, definition.name, log, { triggerMetadata: {} }, async (context) =>
      definition.options.handler({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: {} } as never, context),
    ).catch(() => undefined);
    await running;
  });
  return {
    async stop() {
      job.stop();
      await running;
    },
  };
}
