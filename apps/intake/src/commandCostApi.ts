import type { HttpHandler } from '@azure/functions';
import { commandStreamId } from '@commandflow/events';
import { commandCost, defaultPriceTable } from '@commandflow/usage';
import { errorResponse } from './httpErrors';
import { commandIdParameter, handled, notFound } from './commandsApi';
import type { IntakeServices } from './intakeServices';

/**
 * GET /api/commands/{commandId}/cost: what the command's step invocations used, added up, and
 * the price of 1,000,000 such workflows; 404 for a command that does not exist (or where no usage
 * is kept). Records reach the
 * store in batches, so the last step's may follow a moment (about a second) after the command ends.
 */
export const getCommandCost = (services: () => Promise<IntakeServices>): HttpHandler =>
  handled(async (request) => {
    const commandId = commandIdParameter(request);
    const { usage, prices = defaultPriceTable, eventStore } = await services();
    if (!usage) return errorResponse(404, 'usage_not_recorded', 'This intake keeps no usage records');
    const records = await usage.usageOf(commandId);
    if (records.length === 0 && (await eventStore.readStream(commandStreamId(commandId), { toVersion: 1 })).version === 0) return notFound(commandId);
    return { status: 200, jsonBody: commandCost(commandId, records, prices) };
  });
