import type { ServiceBusQueueFunctionDefinition } from '@commandflow/functions';
import { runQueueFunction, type ReceivedMessage } from '@commandflow/messaging';
import type { SqliteQueue } from '@commandflow/sqlite';
import { invoke } from './invocation';
import type { InvocationLog } from './invocationLog';
import { pollLoop } from './pollLoop';

/**
 * Binds a Service Bus queue function to the local queue with the Functions host's semantics:
 * peek-lock, complete on success, dead-letter when the function asks (with its reason), abandon
 * on any other throw (the queue dead-letters after maxDeliveryCount). What to do after a step
 * fails is the delivery policy's, inside the function, as on Azure. Up to `concurrency`
 * deliveries at once; a send from this process wakes the receiver, other processes' sends are
 * polled for.
 */
export function bindQueue(
  app: string,
  definition: ServiceBusQueueFunctionDefinition,
  queue: SqliteQueue,
  concurrency: number,
  log: InvocationLog,
): { stop(): Promise<void> } {
  const { queueName, handler } = definition.options;
  const inFlight = new Set<Promise<void>>();

  function deliver(message: ReceivedMessage): Promise<void> {
    const traceparent = message.properties['traceparent'];
    const triggerMetadata = {
      messageId: message.messageId,
      deliveryCount: message.deliveryCount,
      sequenceNumber: message.sequenceNumber,
      enqueuedTimeUtc: message.enqueuedAt.toISOString(),
      lockToken: message.lockToken,
      correlationId: message.correlationId,
      subject: message.subject,
      applicationProperties: message.properties,
    };
    const trigger = {
      triggerMetadata,
      commandIdHint: message.body,
      ...(message.correlationId ? { correlationId: message.correlationId } : {}),
      ...(typeof traceparent === 'string' ? { traceparent } : {}),
    };
    return runQueueFunction(queue, message, () => invoke(app, definition.name, log, trigger, async (context) => handler(message.body, context)));
  }

  const reportSettleError = (error: unknown) => console.error(`[${app}] ${definition.name}: settling a message failed`, error);
  const loop = pollLoop(async () => {
    if (inFlight.size >= concurrency) {
      await Promise.race(inFlight);
      return true;
    }
    const messages = await queue.receive(queueName, { maxMessages: concurrency - inFlight.size });
    for (const message of messages) {
      const delivery: Promise<void> = deliver(message)
        .catch(reportSettleError)
        .finally(() => {
          inFlight.delete(delivery);
          loop.wake();
        });
      inFlight.add(delivery);
    }
    return messages.length > 0;
  }, reportSettleError);
  const stopWaking = queue.onSent((sentTo) => sentTo === queueName && loop.wake());
  return {
    async stop() {
      stopWaking();
      await loop.stop();
      await Promise.all(inFlight);
    },
  };
}
