import type { InvocationContext } from '@azure/functions';
import type { QueueDelivery } from '@commandflow/workflow';
import { incomingTraceparent } from './traceContext';

/**
 * A Service Bus trigger's message as the delivery policy sees it, from the trigger metadata the
 * Functions host (and the local host) passes: message id, delivery count (1 on the first
 * delivery), subject, correlation id, application properties and trace context.
 */
export function queueDeliveryOf(message: unknown, context: InvocationContext): QueueDelivery {
  const metadata = context.triggerMetadata ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const deliveryCount = Number(metadata['deliveryCount'] ?? 1);
  const properties = metadata['applicationProperties'];
  const traceparent = incomingTraceparent(context);
  const subject = text(metadata['subject']);
  const correlationId = text(metadata['correlationId']);
  return {
    messageId: text(metadata['messageId']) ?? '',
    body: message,
    deliveryCount: Number.isInteger(deliveryCount) && deliveryCount > 0 ? deliveryCount : 1,
    ...(subject === undefined ? {} : { subject }),
    ...(correlationId === undefined ? {} : { correlationId }),
    properties: typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {},
    ...(traceparent === undefined ? {} : { traceparent }),
  };
}
