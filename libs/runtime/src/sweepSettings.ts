import { Cron } from 'croner';
import { z } from 'zod';
import { readSettings, settingText, type Environment } from '@commandflow/events';
import { durationMs } from '@commandflow/topology';
import { defaultSweepSettings, type SweepSettings } from '@commandflow/workflow';

/** Settings of intake's stalled-command sweeper (docs/operations.md). */
export const sweepSettingNames = {
  /** NCRONTAB with seconds (`sec min hour day month weekday`, UTC) of the sweeper's timer. Default every minute. */
  schedule: 'COMMANDFLOW_SWEEP_SCHEDULE',
  /** ISO-8601 duration without a new event after which an unfinished command has stalled. Default PT10M. */
  stallAfter: 'COMMANDFLOW_STALL_AFTER',
} as const;

/** Every minute, on the minute. */
export const defaultSweepSchedule = '0 * * * * *';

/** The sweeper's timer schedule and what each sweep does. */
export interface SweepConfiguration {
  /** NCRONTAB with seconds, as the timer trigger takes it. */
  readonly schedule: string;
  /** `reconcileWindowMs` is two intervals of the schedule: each document changed since the sweep before last is compared. */
  readonly sweep: SweepSettings;
}

/** Longer text is not a schedule or a duration and is not parsed. */
const maxScheduleLength = 100;
const maxDurationLength = 40;
const shortestStall = 1_000;
const longestStall = 30 * 24 * 60 * 60_000;

/** The next two firings of a six-field schedule; throws with the reason when it is not one or never fires. */
function nextTwoFirings(schedule: string): readonly [Date, Date] {
  if (schedule.length > maxScheduleLength) throw new Error(`must be at most ${maxScheduleLength} characters`);
  // A split on single spaces (no backtracking): NCRONTAB has exactly six fields, seconds first.
  const fields = schedule.split(' ').filter((field) => field !== '');
  if (fields.length !== 6) throw new Error(`must be NCRONTAB with six fields (seconds first), such as ${defaultSweepSchedule}`);
  const [next, after] = new Cron(fields.join(' '), { paused: true, timezone: 'UTC' }).nextRuns(2);
  if (!next || !after) throw new Error('never fires');
  return [next, after];
}

const scheduleSetting = settingText.transform((value, context) => {
  const schedule = value ?? defaultSweepSchedule;
  try {
    const [next, after] = nextTwoFirings(schedule);
    return { schedule, intervalMs: after.getTime() - next.getTime() };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    context.addIssue({ code: 'custom', message: `is not a usable NCRONTAB schedule: ${reason}` });
    return z.NEVER;
  }
});

const stallSetting = settingText.transform((value, context) => {
  if (value === undefined) return defaultSweepSettings.stallAfterMs;
  let ms = NaN;
  try {
    if (value.length <= maxDurationLength) ms = durationMs(value);
  } catch {
    // Reported below.
  }
  if (!(ms >= shortestStall && ms <= longestStall)) {
    context.addIssue({ code: 'custom', message: 'must be an ISO-8601 duration from PT1S to P30D, such as PT10M' });
    return z.NEVER;
  }
  return ms;
});

const sweepEnvironment = z
  .object({ [sweepSettingNames.schedule]: scheduleSetting, [sweepSettingNames.stallAfter]: stallSetting })
  .transform(
    (env): SweepConfiguration => ({
      schedule: env[sweepSettingNames.schedule].schedule,
      sweep: { ...defaultSweepSettings, stallAfterMs: env[sweepSettingNames.stallAfter], reconcileWindowMs: 2 * env[sweepSettingNames.schedule].intervalMs },
    }),
  );

/**
 * Reads the sweeper's settings, with their defaults (every minute; PT10M).
 * @throws ConfigurationError naming the setting: a schedule that is not six NCRONTAB fields or
 * never fires, a duration that is not ISO-8601 or outside PT1S..P30D.
 */
export function sweepSettingsFromEnv(env: Environment): SweepConfiguration {
  return readSettings(sweepEnvironment, env);
}
