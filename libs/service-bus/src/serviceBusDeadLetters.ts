import type { ServiceBusClient, ServiceBusMessage, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { resubmittedMessageId, type DeadLetter, type DeadLetters, type ResubmittedDeadLetter } from '@commandflow/messaging';
import Long from 'long';
import { receivedMessageFields } from './serviceBusReceivedMessage';

export interface ServiceBusDeadLettersOptions {
  /** Messages peeked or received per round trip. Default 100. */
  readonly pageSize?: number;
  /** How long a receive waits for dead letters a peek has just seen, in ms. Default 5000. */
  readonly receiveWaitMs?: number;
}

/**
 * The DeadLetters port on Service Bus: `<queue>/$DeadLetterQueue`. Looking peeks and never locks
 * or changes a message. Resubmitting and purging receive dead letters in peek-lock and complete
 * each one only after its copy was sent (resubmit) or at once (purge); dead letters passed over on
 * the way are abandoned, so they stay where they were.
 */
export class ServiceBusDeadLetters implements DeadLetters {
  private readonly pageSize: number;
  private readonly receiveWaitMs: number;

  constructor(
    private readonly client: ServiceBusClient,
    { pageSize = 100, receiveWaitMs = 5_000 }: ServiceBusDeadLettersOptions = {},
  ) {
    this.pageSize = pageSize;
    this.receiveWaitMs = receiveWaitMs;
  }

  async list(queue: string, { limit = 100, fromSequenceNumber = 0 }: { readonly limit?: number; readonly fromSequenceNumber?: number } = {}): Promise<DeadLetter[]> {
    return this.withReceiver(queue, async (receiver) => (await peek(receiver, limit, fromSequenceNumber)).map((message) => toDeadLetter(queue, message)));
  }

  async peek(queue: string, sequenceNumber: number): Promise<DeadLetter | undefined> {
    const [found] = await this.list(queue, { limit: 1, fromSequenceNumber: sequenceNumber });
    return found?.sequenceNumber === sequenceNumber ? found : undefined;
  }

  /**
   * Puts a copy of the dead letter back on `queue`: body, subject, correlationId, content type and
   * application properties (less the dead-letter reason) under `<original>:resubmit:<sequenceNumber>`.
   * The id is deterministic, so a resubmit repeated after a crash between the send and the
   * completion sends no second copy within the duplicate-detection window.
   */
  async resubmit(queue: string, sequenceNumber: number): Promise<ResubmittedDeadLetter | undefined> {
    let resubmitted: ResubmittedDeadLetter | undefined;
    const sender = this.client.createSender(queue);
    try {
      await this.settleDeadLetters(queue, sequenceNumber, async (receiver, message) => {
        const deadLetter = toDeadLetter(queue, message);
        const messageId = resubmittedMessageId(deadLetter.messageId, sequenceNumber);
        await sender.sendMessages(resubmittedCopy(message, messageId));
        await receiver.completeMessage(message);
        resubmitted = { deadLetter, messageId };
      });
    } finally {
      await sender.close();
    }
    return resubmitted;
  }

  async purge(queue: string): Promise<number> {
    let purged = 0;
    await this.settleDeadLetters(queue, undefined, async (receiver, message) => {
      await receiver.completeMessage(message);
      purged += 1;
    });
    return purged;
  }

  /**
   * Receives the dead letters a peek has seen, page by page, in peek-lock; hands over the one with
   * `sequenceNumber` (every one when undefined) and abandons the others at the end.
   */
  private async settleDeadLetters(
    queue: string,
    sequenceNumber: number | undefined,
    settle: (receiver: ServiceBusReceiver, message: ServiceBusReceivedMessage) => Promise<void>,
  ): Promise<void> {
    const skipped: ServiceBusReceivedMessage[] = [];
    await this.withReceiver(queue, async (receiver) => {
      try {
        // Receives go oldest first whatever a peek starts from, so pages are peeked from the oldest too.
        let fromSequenceNumber = 0;
        for (let done = false; !done; ) {
          const seen = await peek(receiver, this.pageSize, fromSequenceNumber);
          const last = seen.at(-1);
          if (!last) break;
          fromSequenceNumber = sequenceNumberOf(last) + 1;
          const received = await receiver.receiveMessages(seen.length, { maxWaitTimeInMs: this.receiveWaitMs });
          if (received.length === 0) break;
          for (const message of received) {
            if (sequenceNumber !== undefined && sequenceNumberOf(message) !== sequenceNumber) skipped.push(message);
            else {
              await settle(receiver, message);
              done = sequenceNumber !== undefined;
            }
          }
        }
      } finally {
        await Promise.allSettled(skipped.map((message) => receiver.abandonMessage(message)));
      }
    });
  }

  private async withReceiver<Result>(queue: string, use: (receiver: ServiceBusReceiver) => Promise<Result>): Promise<Result> {
    // No lock renewal: a lock is held only until its page is settled, or until the end for a skipped
    // dead letter, and one that runs out merely makes its message receivable again.
    const receiver = this.client.createReceiver(queue, { receiveMode: 'peekLock', maxAutoLockRenewalDurationInMs: 0, subQueueType: 'deadLetter' });
    try {
      return await use(receiver);
    } finally {
      await receiver.close();
    }
  }
}

const peek = (receiver: ServiceBusReceiver, maxMessages: number, fromSequenceNumber: number) =>
  receiver.peekMessages(maxMessages, { fromSequenceNumber: Long.fromNumber(fromSequenceNumber) });

const sequenceNumberOf = (message: ServiceBusReceivedMessage) => receivedMessageFields(message).sequenceNumber;

/** The copy that goes back on the queue: the same content under a new messageId. */
function resubmittedCopy(message: ServiceBusReceivedMessage, messageId: string): ServiceBusMessage {
  const { body, subject, correlationId, properties } = receivedMessageFields(message);
  return {
    messageId,
    body,
    ...(subject !== undefined && { subject }),
    ...(correlationId !== undefined && { correlationId }),
    ...(message.contentType !== undefined && { contentType: message.contentType }),
    applicationProperties: { ...properties },
  };
}

function toDeadLetter(queue: string, message: ServiceBusReceivedMessage): DeadLetter {
  const { deadLetterReason, deadLetterErrorDescription } = message;
  return {
    queue,
    ...receivedMessageFields(message),
    reason: deadLetterReason ?? '',
    ...(deadLetterErrorDescription ? { description: deadLetterErrorDescription } : {}),
  };
}
