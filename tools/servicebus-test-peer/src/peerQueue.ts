import type { Message } from 'rhea';

/** Service Bus's dead-letter reason for a message delivered `maxDeliveryCount` times. */
export const maxDeliveryCountExceeded = 'MaxDeliveryCountExceeded';

/** How the peer's queues behave; the same numbers for every queue. */
export interface PeerQueueSettings {
  /** Deliveries before a message is dead-lettered with reason `MaxDeliveryCountExceeded`. */
  readonly maxDeliveryCount: number;
  /** How long a peek-lock holds a message, in ms. */
  readonly lockDurationMs: number;
  /** How long an accepted messageId is remembered, so that repeats are dropped, in ms. */
  readonly duplicateDetectionWindowMs: number;
}

/** The queue itself, or its dead-letter subqueue (`<queue>/$DeadLetterQueue`). */
export type SubQueue = 'active' | 'deadLetter';

/** A peek-lock; its token is also the delivery tag of the delivery that holds it. */
export interface MessageLock {
  readonly token: Buffer;
  readonly until: number;
}

/** A message as the peer stores it. */
export interface StoredMessage {
  readonly sequenceNumber: number;
  readonly enqueuedAt: number;
  /** The message as the client sent it (rhea's decoded form); dead-lettering adds the reason to its application properties. */
  message: Message;
  subQueue: SubQueue;
  /** Receivable from this instant (later than `enqueuedAt` for a scheduled message). */
  visibleAt: number;
  /**
   * Deliveries that ended without a completion: the AMQP header's delivery-count, which Service Bus
   * sends and the JavaScript SDK shows as is (0 on the first delivery; .NET and the Functions host add 1).
   */
  deliveryCount: number;
  lock?: MessageLock;
}

/**
 * One queue and its dead-letter subqueue, in memory: duplicate detection by messageId within a
 * window, scheduled messages, peek-locks that expire, abandon with a delivery count, and
 * dead-lettering after `maxDeliveryCount` deliveries or on request. Sequence numbers come from the
 * caller, so they are unique across queues as well.
 */
export class PeerQueue {
  private readonly stored: StoredMessage[] = [];
  /** Every message ever stored, settled ones included, in sequence order. */
  readonly history: StoredMessage[] = [];
  private readonly acceptedIds = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly settings: PeerQueueSettings,
  ) {}

  /** Stores the message unless its messageId was accepted within the window; says whether it was stored. */
  enqueue(message: Message, sequenceNumber: number, now: number): boolean {
    const messageId = message.message_id === undefined ? undefined : String(message.message_id);
    if (messageId !== undefined) {
      if ((this.acceptedIds.get(messageId) ?? 0) > now) return false;
      this.acceptedIds.set(messageId, now + this.settings.duplicateDetectionWindowMs);
    }
    const scheduledFor = message.message_annotations?.['x-opt-scheduled-enqueue-time'];
    const visibleAt = scheduledFor instanceof Date ? Math.max(now, scheduledFor.getTime()) : now;
    const stored: StoredMessage = { sequenceNumber, enqueuedAt: now, message, subQueue: 'active', visibleAt, deliveryCount: 0 };
    this.stored.push(stored);
    this.history.push(stored);
    return true;
  }

  /** Messages of a subqueue in sequence order, locked ones included (as a peek shows them). */
  list(subQueue: SubQueue): StoredMessage[] {
    return this.stored.filter((m) => m.subQueue === subQueue);
  }

  /** The next message a receiver may lock now: the one visible longest (an abandoned message keeps its place). */
  nextReceivable(subQueue: SubQueue, now: number): StoredMessage | undefined {
    return this.list(subQueue)
      .filter((m) => !m.lock && m.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt || a.sequenceNumber - b.sequenceNumber)[0];
  }

  /** Locks the message for one delivery. */
  lock(stored: StoredMessage, token: Buffer, now: number): MessageLock {
    stored.lock = { token, until: now + this.settings.lockDurationMs };
    return stored.lock;
  }

  /** The message that `token` holds a live lock on. */
  locked(token: Buffer): StoredMessage | undefined {
    return this.stored.find((m) => m.lock?.token.equals(token));
  }

  /** Removes the message for good. */
  complete(stored: StoredMessage): void {
    this.stored.splice(this.stored.indexOf(stored), 1);
  }

  /** Unlocks the message and counts the failed delivery; dead-letters it after `maxDeliveryCount` (dead letters stay put). */
  abandon(stored: StoredMessage): void {
    stored.lock = undefined;
    stored.deliveryCount += 1;
    const { maxDeliveryCount } = this.settings;
    if (stored.subQueue === 'active' && stored.deliveryCount >= maxDeliveryCount) {
      this.deadLetter(stored, maxDeliveryCountExceeded, `Message could not be consumed after ${maxDeliveryCount} delivery attempts.`);
    }
  }

  /** Moves the message to the dead-letter subqueue with the reason in its application properties, as Service Bus does. */
  deadLetter(stored: StoredMessage, reason: string, description: string | undefined): void {
    stored.lock = undefined;
    stored.subQueue = 'deadLetter';
    stored.message = {
      ...stored.message,
      application_properties: {
        ...stored.message.application_properties,
        DeadLetterReason: reason,
        ...(description === undefined ? {} : { DeadLetterErrorDescription: description }),
      },
      message_annotations: { ...stored.message.message_annotations, 'x-opt-deadletter-source': this.name },
    };
  }

  /** Treats every lock that ran out as an abandon. */
  expireLocks(now: number): void {
    for (const stored of this.stored.filter((m) => m.lock && m.lock.until <= now)) this.abandon(stored);
  }

  /** When a lock runs out or a scheduled message becomes visible next; Infinity if nothing will change by itself. */
  nextChange(now: number): number {
    return Math.min(...this.stored.map((m) => m.lock?.until ?? (m.visibleAt > now ? m.visibleAt : Infinity)));
  }
}
