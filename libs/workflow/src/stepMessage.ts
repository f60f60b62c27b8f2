import { PoisonMessageError } from '@commandflow/events';

const commandIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

/** A step message body as text is a few dozen bytes; anything far longer is not one, and is not parsed. */
const maxStepMessageLength = 1024;

/**
 * The command id a step message carries. Bodies are `{ "commandId": "..." }`, as an object or
 * as JSON text (Service Bus may hand either). Anything else is a poison message.
 */
export function commandIdOf(body: unknown): string {
  let parsed = body;
  if ((typeof body === 'string' || body instanceof Uint8Array) && body.length <= maxStepMessageLength) {
    try {
      parsed = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
    } catch {
      parsed = undefined;
    }
  }
  const commandId = typeof parsed === 'object' && parsed !== null ? (parsed as { commandId?: unknown }).commandId : undefined;
  if (typeof commandId !== 'string' || !commandIdPattern.test(commandId)) {
    throw new PoisonMessageError('invalid_step_message', `Not a step message: expected { "commandId": "<id>" }, got ${preview(body)}`);
  }
  return commandId;
}

const preview = (body: unknown): string => {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
};
