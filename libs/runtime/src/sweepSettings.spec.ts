import { sweepSettingsFromEnv } from './sweepSettings';

describe('sweepSettingsFromEnv', () => {
  it('defaults to a sweep every minute for commands that have not moved for ten minutes', () => {
    expect(sweepSettingsFromEnv({})).toEqual({
      schedule: '0 * * * * *',
      sweep: { stallAfterMs: 600_000, reconcileWindowMs: 120_000, maxNudges: 3, maxCommandsPerQuery: 100 },
    });
  });

  it('reads a schedule with seconds and a threshold; the reconcile window is two of the schedule\'s intervals', () => {
    expect(sweepSettingsFromEnv({ COMMANDFLOW_SWEEP_SCHEDULE: ' */15 * * * * * ', COMMANDFLOW_STALL_AFTER: 'PT2M30S' })).toEqual({
      schedule: '*/15 * * * * *',
      sweep: expect.objectContaining({ stallAfterMs: 150_000, reconcileWindowMs: 30_000 }),
    });
    expect(sweepSettingsFromEnv({ COMMANDFLOW_SWEEP_SCHEDULE: '0 0 */2 * * *' }).sweep.reconcileWindowMs).toBe(4 * 60 * 60_000);
  });

  it.each([
    [{ COMMANDFLOW_SWEEP_SCHEDULE: '* * * * *' }, /^Setting COMMANDFLOW_SWEEP_SCHEDULE is not a usable NCRONTAB schedule: must be NCRONTAB with six fields/],
    [{ COMMANDFLOW_SWEEP_SCHEDULE: '61 * * * * *' }, /^Setting COMMANDFLOW_SWEEP_SCHEDULE is not a usable NCRONTAB schedule: Invalid value for second: 61/],
    [{ COMMANDFLOW_SWEEP_SCHEDULE: '0 0 0 30 2 *' }, /^Setting COMMANDFLOW_SWEEP_SCHEDULE is not a usable NCRONTAB schedule: never fires/],
    [{ COMMANDFLOW_SWEEP_SCHEDULE: `0 ${'*/1,'.repeat(30)}1 * * * *` }, /^Setting COMMANDFLOW_SWEEP_SCHEDULE is not a usable NCRONTAB schedule: must be at most 100 characters/],
    [{ COMMANDFLOW_STALL_AFTER: '10 minutes' }, /^Setting COMMANDFLOW_STALL_AFTER must be an ISO-8601 duration from PT1S to P30D/],
    [{ COMMANDFLOW_STALL_AFTER: 'PT0.5S' }, /^Setting COMMANDFLOW_STALL_AFTER must be an ISO-8601 duration from PT1S to P30D/],
    [{ COMMANDFLOW_STALL_AFTER: 'P31D' }, /^Setting COMMANDFLOW_STALL_AFTER must be an ISO-8601 duration/],
    [{ COMMANDFLOW_STALL_AFTER: `PT${'1'.repeat(100)}M` }, /^Setting COMMANDFLOW_STALL_AFTER must be an ISO-8601 duration/],
  ])('rejects %j with a message naming the setting', (env, message) => {
    expect(() => sweepSettingsFromEnv(env)).toThrow(expect.objectContaining({ code: 'invalid_setting', message: expect.stringMatching(message) }));
  });
});
