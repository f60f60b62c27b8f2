import type { HttpHandler } from '@azure/functions';
import { ValidationError } from '@commandflow/events';
import { handled } from './commandsApi';
import type { IntakeServices } from './intakeServices';

const maxCommandTypeLength = 200;

/** GET /api/command-counts?commandType=: how many commands have each status (every status present). */
export const countCommands = (services: () => Promise<IntakeServices>): HttpHandler =>
  handled(async (request) => {
    const commandType = request.query.get('commandType') || undefined;
    if (commandType !== undefined && commandType.length > maxCommandTypeLength) {
      throw new ValidationError('invalid_query', `commandType must be at most ${maxCommandTypeLength} characters`);
    }
    const { listStore } = await services();
    const counts = await listStore.countByStatus(commandType === undefined ? {} : { commandType });
    return { status: 200, jsonBody: { counts, ...(commandType === undefined ? {} : { commandType }) } };
  });
