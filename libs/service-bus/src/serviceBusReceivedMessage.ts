import type { ServiceBusReceivedMessage } from '@azure/service-bus';

/** The application properties Service Bus adds when it dead-letters a message. */
const deadLetterProperties = new Set(['DeadLetterReason', 'DeadLetterErrorDescription']);

/**
 * The fields every queue adapter hands over, from a message the SDK received or peeked. The
 * delivery count is 1-based, as the Functions host counts (the SDK shows the broker's count of
 * earlier failed deliveries). Application properties keep only scalars, less the dead-letter reason.
 */
export function receivedMessageFields(message: ServiceBusReceivedMessage) {
  const { messageId, body, subject, correlationId, deliveryCount, enqueuedTimeUtc } = message;
  const sequenceNumber = message.sequenceNumber?.toNumber();
  // Sequence numbers of partitioned entities carry the partition in their high bits; the topology's queues are not partitioned.
  if (sequenceNumber === undefined || !Number.isSafeInteger(sequenceNumber)) {
    throw new RangeError(`Message ${String(messageId)} has no sequence number that fits a JavaScript number`);
  }
  const properties = Object.fromEntries(
    Object.entries(message.applicationProperties ?? {}).filter(
      (entry): entry is [string, string | number | boolean] => !deadLetterProperties.has(entry[0]) && ['string', 'number', 'boolean'].includes(typeof entry[1]),
    ),
  );
  return {
    sequenceNumber,
    messageId: messageId === undefined ? '' : String(messageId),
    body: body as unknown,
    ...(subject !== undefined && { subject }),
    ...(correlationId !== undefined && { correlationId: String(correlationId) }),
    properties,
    deliveryCount: (deliveryCount ?? 0) + 1,
    enqueuedAt: enqueuedTimeUtc ?? new Date(0),
  };
}
