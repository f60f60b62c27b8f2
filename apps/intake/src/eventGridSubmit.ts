import { z } from 'zod';
import { ValidationError, assertBodySize, assertJsonTextDepth, assertJsonValueWithinLimits, type CommandSource } from '@commandflow/events';
import { logCommand, type LogOutcome } from '@commandflow/workflow';
import type { IntakeServices } from './intakeServices';

/** Event types of incoming commands: `commandflow.command.<commandType>`. */
export const commandEventTypePrefix = 'commandflow.command.';

/** The event type of Event Grid's subscription handshake: answered by the host, never a command. */
export const subscriptionValidationEventType = 'Microsoft.EventGrid.SubscriptionValidationEvent';

const eventGridEvent = z.object({
  id: z.string().min(1),
  topic: z.string().min(1).optional(),
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
 * `data.parameters`, and the event id as idempotency key within the event's topic (a namespace of
 * its own, apart from HTTP keys), so a redelivered event logs nothing new. The event is checked
 * against the input limits (size, depth, strings, keys) before anything else reads it.
 */
export async function submitFromEventGrid(
  services: IntakeServices,
  event: unknown,
  source: CommandSource,
  traceparent?: string,
): Promise<LogOutcome> {
  if (typeof event === 'string') assertBodySize(Buffer.byteLength(event, 'utf8'), 'The event');
  const value = typeof event === 'string' ? parseJson(event) : event;
  assertJsonValueWithinLimits(value, 'The event');
  if (typeof event !== 'string') assertBodySize(Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8'), 'The event');
  const parsed = eventGridEvent.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError('invalid_event', `Not an Event Grid command event: ${z.prettifyError(parsed.error)}`);
  }
  const { id, topic, eventType, data } = parsed.data;
  if (eventType === subscriptionValidationEventType) {
    throw new ValidationError('invalid_event', `Event ${id} is a subscription validation request: the webhook answers it, it carries no command`);
  }
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
    idempotencyScope: topic ?? 'eventgrid',
    causationId: id,
    ...(traceparent === undefined ? {} : { traceparent }),
  });
}

const parseJson = (text: string): unknown => {
  assertJsonTextDepth(text);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
