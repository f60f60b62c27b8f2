import { z } from 'zod';
import { ValidationError, type CommandSource } from '@commandflow/events';
import { logCommand, type LogOutcome } from '@commandflow/workflow';
import type { IntakeServices } from './intakeServices';

/** Event types of incoming commands: `commandflow.command.<commandType>`. */
export const commandEventTypePrefix = 'commandflow.command.';

const eventGridEvent = z.object({
  id: z.string().min(1),
  eventType: z.string().min(1),
  subject: z.string().optional(),
  data: z
    .object({
      commandType: z.string().min(1).optional(),
      parameters: z.record(z.string(), z.json()).default({}),
      actor: z.string().min(1).optional(),
    })
    .default({ parameters: {} }),
});

/**
 * Logs the command an Event Grid event carries (Event Grid schema): the type from
 * `eventType` (`commandflow.command.<type>`) or `data.commandType`, the parameters from
 * `data.parameters`, and the event id as idempotency key, so a redelivered event logs nothing new.
 */
export async function submitFromEventGrid(
  services: IntakeServices,
  event: unknown,
  source: CommandSource,
  traceparent?: string,
): Promise<LogOutcome> {
  const parsed = eventGridEvent.safeParse(typeof event === 'string' ? parseJson(event) : event);
  if (!parsed.success) {
    throw new ValidationError('invalid_event', `Not an Event Grid command event: ${z.prettifyError(parsed.error)}`);
  }
  const { id, eventType, data } = parsed.data;
  const commandType = eventType.startsWith(commandEventTypePrefix) ? eventType.slice(commandEventTypePrefix.length) : data.commandType;
  if (!commandType) {
    throw new ValidationError('invalid_event', `Event ${id} names no command type: use eventType ${commandEventTypePrefix}<type> or data.commandType`);
  }
  return logCommand(services.workflow, {
    commandType,
    parameters: data.parameters,
    actor: data.actor ?? 'eventgrid',
    source,
    idempotencyKey: id,
    causationId: id,
    ...(traceparent === undefined ? {} : { traceparent }),
  });
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
