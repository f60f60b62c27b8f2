import type { ServiceBusQueueFunctionDefinition } from '@commandflow/functions';
import type { SqliteQueue } from '@commandflow/sqlite';
import { invoke } from './invocation';
import type { InvocationLog } from './invocationLog';
import { pollLoop } from './pollLoop';

/**
 * Binds a Service Bus queue function to the local queue with the Functions host's semantics:
 * peek-lock, complete on success, abandon on a throw, dead-letter (with the error as description)
 * once the delivery count reaches the queue's maxDeliveryCount. `concurrency` deliveries at once.
 */
export function bindQueue(
  app: string,
  definition: ServiceBusQueueFunctionDefinition,
  queue: SqliteQueue,
  concurrency: number,
  log: InvocationLog,
): { stop(): Promise<void> } {
  const { queueName, handler } = definition.options;
  const { maxDeliveryCount } = queue.settingsOf(queueName);
  const workers = Array.from({ length: concurrency }, () =>
    pollLoop(
      async () => {
        const [message] = await queue.receive(queueName, { maxMessages: 1 });
        if (!message) return false;
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
        try {
          const traceparent = message.properties['traceparent'];
          await invoke(
            app,
            definition.name,
            log,
            {
              triggerMetadata,
              commandIdHint: message.body,
              ...(message.correlationId ? { correlationId: message.correlationId } : {}),
              ...(typeof traceparent === 'string' ? { traceparent } : {}),
            },
            async (context) => handler(message.body, context),
          );
          await queue.complete(message.lockToken);
        } catch (error) {
          if (message.deliveryCount >= maxDeliveryCount) {
            await queue.deadLetter(message.lockToken, {
              reason: 'MaxDeliveryCountExceeded',
              description: `Delivery ${message.deliveryCount} of ${maxDeliveryCount} failed: ${error instanceof Error ? error.message : String(error)}`,
            });
          } else {
            await queue.abandon(message.lockToken);
          }
        }
        return true;
      },
      (error) => console.error(`[${app}] ${definition.name}: settling a message failed`, error),
    ),
  );
  return { stop: async () => void (await Promise.all(workers.map((w) => w.stop()))) };
}
