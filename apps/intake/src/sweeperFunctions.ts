import type { HttpHandler, InvocationContext } from '@azure/functions';
import { ValidationError } from '@commandflow/events';
import type { TimerFunctionDefinition } from '@commandflow/functions';
import { listStalledCommands, sweepStalledCommands, type SweepReport } from '@commandflow/workflow';
import { handled } from './commandsApi';
import type { IntakeServices } from './intakeServices';

type Services = () => Promise<IntakeServices>;

const defaultStalledPageSize = 50;
const maxStalledPageSize = 100;
const limitPattern = /^[0-9]{1,3}$/;

/** What a sweep runs on, from intake's services. */
const sweepDependencies = ({ workflow, listStore }: IntakeServices) => ({ workflow, listStore });

/**
 * Logs a sweep: one line per nudge and repair (warnings: something was lost or lagged) and per
 * command given up on (an error: it needs a person), each naming the command, then one line with
 * the counts (the figures to chart: nudged, gave up, repaired, checked).
 */
export function logSweep(report: SweepReport, context: InvocationContext): void {
  for (const nudge of report.nudged) {
    context.warn(`Nudged command ${nudge.commandId} (${nudge.status}): re-sent ${nudge.queue} as ${nudge.messageId}, nudge ${nudge.nudge}`);
  }
  for (const abandoned of report.gaveUp) {
    context.error(`Gave up on command ${abandoned.commandId} (${abandoned.status}) after ${abandoned.nudges} nudges: it needs a person`);
  }
  for (const repair of report.repaired) {
    context.warn(`Repaired the read model of command ${repair.commandId}: version ${repair.fromVersion} → ${repair.toVersion} (${repair.status})`);
  }
  const counts = { checked: report.checked, repaired: report.repaired.length, nudged: report.nudged.length, gaveUp: report.gaveUp.length };
  context.log(`Sweep at ${report.at}: ${counts.nudged} nudged, ${counts.gaveUp} given up, ${counts.repaired} repaired, ${counts.checked} checked`, counts);
}

/** The timer function that runs a sweep on `schedule` (NCRONTAB with seconds). */
export function sweeperTimer(services: Services, schedule: string): TimerFunctionDefinition {
  return {
    kind: 'timer',
    name: 'sweepStalledCommands',
    options: {
      schedule,
      handler: async (_timer, context) => {
        const intake = await services();
        logSweep(await sweepStalledCommands(sweepDependencies(intake), intake.sweep), context);
      },
    },
  };
}

/** GET /api/stalled-commands?limit=: the unfinished commands that have not moved for the threshold, oldest first, with their nudges. */
export const listStalled = (services: Services): HttpHandler =>
  handled(async (request) => {
    const limitText = request.query.get('limit');
    const limit = limitText === null ? defaultStalledPageSize : limitPattern.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= maxStalledPageSize)) {
      throw new ValidationError('invalid_query', `limit must be a whole number from 1 to ${maxStalledPageSize}, got ${JSON.stringify(limitText?.slice(0, 20))}`);
    }
    const intake = await services();
    const items = await listStalledCommands(sweepDependencies(intake), intake.sweep, limit);
    return { status: 200, jsonBody: { stallAfterMs: intake.sweep.stallAfterMs, items } };
  });

/** POST /api/sweeps: runs one sweep now (as the timer does) and answers with its report. */
export const runSweep = (services: Services): HttpHandler =>
  handled(async (_request, context) => {
    const intake = await services();
    const report = await sweepStalledCommands(sweepDependencies(intake), intake.sweep);
    logSweep(report, context);
    return { status: 200, jsonBody: report };
  });
