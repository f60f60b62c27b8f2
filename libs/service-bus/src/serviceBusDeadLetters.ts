import type { ServiceBusClient, ServiceBusMessage, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import Long from 'long';

/** A message looked at without locking it. */
export interface ServiceBusQueueMessage {
  readonly queue: string;
  /** Assigned by Service Bus; what `show` and `resubmit` select a dead letter by. */
  readonly sequenceNumber: number;
  readonly messageId?: string;
  /** The body as the SDK decodes it: a JSON body as its value. */
  readonly body: unknown;
  readonly subject?: string;
  readonly correlationId?: string;
  readonly contentType?: string;
  /** Application properties, without the dead-letter reason and description (see `ServiceBusDeadLetter`). */
  readonly properties: Readonly<Record<string, string | number | boolean | Date | null>>;
  /** Deliveries that ended without completion, as Service Bus reports it (0 before the first delivery). */
  readonly deliveryCount: number;
  readonly enqueuedAt?: Date;
  /** `scheduled`: not receivable before its scheduled time; `deferred`: set aside by a receiver. */
  readonly state: 'active' | 'deferred' | 'scheduled';
}

/** A message in `<queue>/$DeadLetterQueue`, with why it is there. */
export interface ServiceBusDeadLetter extends ServiceBusQueueMessage {
  /** `MaxDeliveryCountExceeded`, `TTLExpiredException`, or the reason a receiver gave. */
  readonly deadLetterReason?: string;
  readonly deadLetterDescription?: string;
}

/** A dead letter put back on its queue. */
export interface ResubmittedDeadLetter {
  /** The dead letter as it was (it is gone from the dead-letter subqueue now). */
  readonly deadLetter: ServiceBusDeadLetter;
  /** The copy's messageId: `<original messageId>:resubmit:<dead letter's sequence number>`. */
  readonly resubmittedMessageId: string;
}

export interface ServiceBusDeadLettersOptions {
  /** Messages peeked or received per round trip. Default 100. */
  readonly pageSize?: number;
  /** How long a receive waits for dead letters a peek has just seen, in ms. Default 5000. */
  readonly receiveWaitMs?: number;
}

export interface ServiceBusPeekOptions {
  /** Default 100. */
  readonly maxMessages?: number;
  /** The first sequence number to look at, for paging. Default: the oldest message. */
  readonly fromSequenceNumber?: number;
}

/** The application properties Service Bus adds when it dead-letters a message. */
const deadLetterProperties = ['DeadLetterReason', 'DeadLetterErrorDescription'] as const;

/**
 * Dead-letter administration over the client, for the CLI's `dlq list | show | resubmit | purge`,
 * and a peek at a queue. Looking never locks or changes a message. Resubmitting and purging
 * receive dead letters in peek-lock and complete each one only after its copy was sent (resubmit)
 * or at once (purge); dead letters skipped on the way are abandoned, so they stay where they were.
 */
export class ServiceBusDeadLetters {
  private readonly pageSize: number;
  private readonly receiveWaitMs: number;

  constructor(
    private readonly client: ServiceBusClient,
    { pageSize = 100, receiveWaitMs = 5_000 }: ServiceBusDeadLettersOptions = {},
  ) {
    this.pageSize = pageSize;
    this.receiveWaitMs = receiveWaitMs;
  }

  /** Dead letters of `queue` in sequence order, without locking them. */
  async list(queue: string, options: ServiceBusPeekOptions = {}): Promise<ServiceBusDeadLetter[]> {
    return this.withReceiver(queue, 'deadLetter', async (receiver) =>
      (await peek(receiver, options)).map((message) => toDeadLetter(queue, message)),
    );
  }

  /** One dead letter, or undefined if `queue` has none with that sequence number. */
  async show(queue: string, sequenceNumber: number): Promise<ServiceBusDeadLetter | undefined> {
    const [found] = await this.list(queue, { maxMessages: 1, fromSequenceNumber: sequenceNumber });
    return found?.sequenceNumber === sequenceNumber ? found : undefined;
  }

  /** Active, scheduled and deferred messages of `queue` in sequence order, without locking them. */
  async peekQueue(queue: string, options: ServiceBusPeekOptions = {}): Promise<ServiceBusQueueMessage[]> {
    return this.withReceiver(queue, undefined, async (receiver) => (await peek(receiver, options)).map((message) => toQueueMessage(queue, message)));
  }

  /**
   * Puts dead letters back on `queue`: those with the given sequence numbers, or all of them. Each
   * copy keeps the body, subject, correlationId, content type and application properties (less
   * the dead-letter reason) under a new messageId, `<original>:resubmit:<sequenceNumber>`: the
   * original id is still inside the queue's duplicate-detection window for a while after it was
   * first sent, and a copy under it would be silently dropped. The new id is deterministic, so
   * resubmitting again after a crash between the send and the completion sends no second copy
   * within the window. Resolves to what was resubmitted; sequence numbers not found are left out.
   */
  async resubmit(queue: string, sequenceNumbers?: readonly number[]): Promise<ResubmittedDeadLetter[]> {
    const resubmitted: ResubmittedDeadLetter[] = [];
    const sender = this.client.createSender(queue);
    try {
      await this.settleDeadLetters(queue, sequenceNumbers, async (receiver, message) => {
        const deadLetter = toDeadLetter(queue, message);
        const resubmittedMessageId = resubmittedMessageIdOf(deadLetter);
        await sender.sendMessages(resubmittedCopy(deadLetter, resubmittedMessageId));
        await receiver.completeMessage(message);
        resubmitted.push({ deadLetter, resubmittedMessageId });
      });
    } finally {
      await sender.close();
    }
    return resubmitted;
  }

  /** Deletes every dead letter of `queue`; resolves to how many there were. */
  async purge(queue: string): Promise<number> {
    let purged = 0;
    await this.settleDeadLetters(queue, undefined, async (receiver, message) => {
      await receiver.completeMessage(message);
      purged += 1;
    });
    return purged;
  }

  /**
   * Receives the dead letters a peek has seen, page by page, in peek-lock; hands over those
   * selected (all when `sequenceNumbers` is undefined) and abandons the others at the end.
   */
  private async settleDeadLetters(
    queue: string,
    sequenceNumbers: readonly number[] | undefined,
    settle: (receiver: ServiceBusReceiver, message: ServiceBusReceivedMessage) => Promise<void>,
  ): Promise<void> {
    const wanted = sequenceNumbers && new Set(sequenceNumbers);
    const skipped: ServiceBusReceivedMessage[] = [];
    await this.withReceiver(queue, 'deadLetter', async (receiver) => {
      try {
        let fromSequenceNumber = 0;
        while (!wanted || wanted.size > 0) {
          const seen = await peek(receiver, { maxMessages: this.pageSize, fromSequenceNumber });
          const last = seen.at(-1);
          if (!last) break;
          fromSequenceNumber = sequenceNumberOf(last) + 1;
          const received = await receiver.receiveMessages(seen.length, { maxWaitTimeInMs: this.receiveWaitMs });
          if (received.length === 0) break;
          for (const message of received) {
            if (wanted && !wanted.delete(sequenceNumberOf(message))) skipped.push(message);
            else await settle(receiver, message);
          }
        }
      } finally {
        await Promise.allSettled(skipped.map((message) => receiver.abandonMessage(message)));
      }
    });
  }

  private async withReceiver<Result>(
    queue: string,
    subQueueType: 'deadLetter' | undefined,
    use: (receiver: ServiceBusReceiver) => Promise<Result>,
  ): Promise<Result> {
    // No lock renewal: a lock is held only until its page is settled, or until the end for a skipped
    // dead letter, and one that runs out merely makes its message receivable again.
    const receiver = this.client.createReceiver(queue, { receiveMode: 'peekLock', maxAutoLockRenewalDurationInMs: 0, ...(subQueueType && { subQueueType }) });
    try {
      return await use(receiver);
    } finally {
      await receiver.close();
    }
  }
}

async function peek(receiver: ServiceBusReceiver, { maxMessages = 100, fromSequenceNumber }: ServiceBusPeekOptions): Promise<ServiceBusReceivedMessage[]> {
  return receiver.peekMessages(maxMessages, { fromSequenceNumber: Long.fromNumber(fromSequenceNumber ?? 0) });
}

/** `<original id>:resubmit:<sequence number>`; a dead letter that was itself a resubmitted copy loses its earlier suffix. */
function resubmittedMessageIdOf({ messageId = '', sequenceNumber }: ServiceBusDeadLetter): string {
  return `${messageId.replace(/:resubmit:\d+$/, '')}:resubmit:${sequenceNumber}`;
}

/** The copy that goes back on the queue: the same content under a new messageId. */
function resubmittedCopy({ body, subject, correlationId, contentType, properties }: ServiceBusDeadLetter, messageId: string): ServiceBusMessage {
  return {
    messageId,
    body,
    ...(subject !== undefined && { subject }),
    ...(correlationId !== undefined && { correlationId }),
    ...(contentType !== undefined && { contentType }),
    applicationProperties: { ...properties },
  };
}

function toQueueMessage(queue: string, message: ServiceBusReceivedMessage): ServiceBusQueueMessage {
  const { messageId, body, subject, correlationId, contentType, deliveryCount, enqueuedTimeUtc, state } = message;
  return {
    queue,
    sequenceNumber: sequenceNumberOf(message),
    ...(messageId !== undefined && { messageId: String(messageId) }),
    body,
    ...(subject !== undefined && { subject }),
    ...(correlationId !== undefined && { correlationId: String(correlationId) }),
    ...(contentType !== undefined && { contentType }),
    properties: propertiesOf(message),
    deliveryCount: deliveryCount ?? 0,
    ...(enqueuedTimeUtc !== undefined && { enqueuedAt: enqueuedTimeUtc }),
    state,
  };
}

function toDeadLetter(queue: string, message: ServiceBusReceivedMessage): ServiceBusDeadLetter {
  const { deadLetterReason, deadLetterErrorDescription } = message;
  return {
    ...toQueueMessage(queue, message),
    ...(deadLetterReason !== undefined && { deadLetterReason }),
    ...(deadLetterErrorDescription !== undefined && { deadLetterDescription: deadLetterErrorDescription }),
  };
}

/** Application properties without the two Service Bus adds on dead-lettering. */
function propertiesOf(message: ServiceBusReceivedMessage): Record<string, string | number | boolean | Date | null> {
  const properties = { ...message.applicationProperties };
  for (const name of deadLetterProperties) delete properties[name];
  return properties;
}

/**
 * The message's sequence number as a number. Sequence numbers of partitioned entities carry the
 * partition in their high bits and exceed 2^53; the topology's queues are not partitioned.
 */
function sequenceNumberOf(message: ServiceBusReceivedMessage): number {
  const sequenceNumber = message.sequenceNumber?.toNumber();
  if (sequenceNumber === undefined || !Number.isSafeInteger(sequenceNumber)) {
    throw new RangeError(`Message ${String(message.messageId)} has no sequence number that fits a JavaScript number`);
  }
  return sequenceNumber;
}
