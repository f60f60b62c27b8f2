import { IllegalStateError, ValidationError } from '@commandflow/events';
import { resubmittedMessageId, type DeadLetter, type QueueMessage, type ResubmittedDeadLetter } from './deadLetters';
import type { OutgoingMessage } from './messageSender';
import { maxDeliveryCountDescription, maxDeliveryCountExceeded, type PeekLockQueue, type ReceivedMessage } from './peekLockQueue';

/** How the in-memory queues behave; the same for every queue. */
export interface InMemoryQueueSettings {
  /** Default 10. */
  readonly maxDeliveryCount: number;
  /** In ms. Default 60 000. */
  readonly lockDurationMs: number;
  /** In ms. Default 600 000. */
  readonly duplicateDetectionWindowMs: number;
}

/** A message as the in-memory queues hold it. */
export interface QueuedMessage extends OutgoingMessage {
  readonly queue: string;
  readonly sequenceNumber: number;
  readonly enqueuedAt: Date;
  /** Receivable from this instant (later than `enqueuedAt` for a scheduled message). */
  visibleAt: number;
  deliveryCount: number;
  lock?: { readonly token: string; readonly until: number };
  deadLetter?: { readonly reason: string; readonly description?: string };
}

/**
 * Queues in process memory with the semantics of every PeekLockQueue, on an injected clock, for
 * tests and the in-process workflow. Nothing survives the process.
 */
export class InMemoryQueues implements PeekLockQueue {
  private readonly messages: QueuedMessage[] = [];
  private readonly acceptedIds = new Map<string, number>();
  private readonly settings: InMemoryQueueSettings;
  private readonly now: () => number;
  private lastSequenceNumber = 0;
  /** Every send that was accepted, duplicates excluded, in order. */
  readonly accepted: QueuedMessage[] = [];

  constructor(options: Partial<InMemoryQueueSettings> & { readonly now?: () => number } = {}) {
    const { now = Date.now, ...settings } = options;
    this.now = now;
    this.settings = { maxDeliveryCount: 10, lockDurationMs: 60_000, duplicateDetectionWindowMs: 600_000, ...settings };
  }

  async send(queue: string, message: OutgoingMessage): Promise<void> {
    if (!queue || !message?.messageId) throw new ValidationError('invalid_message', 'A message needs a queue and a messageId');
    const now = this.now();
    const key = `${queue}\u0000${message.messageId}`;
    if ((this.acceptedIds.get(key) ?? 0) > now) return;
    this.acceptedIds.set(key, now + this.settings.duplicateDetectionWindowMs);
    const queued: QueuedMessage = {
      ...structuredClone(message),
      queue,
      sequenceNumber: ++this.lastSequenceNumber,
      enqueuedAt: new Date(now),
      visibleAt: Math.max(now, message.scheduledEnqueueTime?.getTime() ?? now),
      deliveryCount: 0,
    };
    this.messages.push(queued);
    this.accepted.push(queued);
  }

  async receive(queue: string, { maxMessages = 1 }: { readonly maxMessages?: number } = {}): Promise<ReceivedMessage[]> {
    const now = this.now();
    this.expireLocks(now);
    const due = this.live(queue)
      .filter((m) => !m.lock && m.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt || a.sequenceNumber - b.sequenceNumber)
      .slice(0, maxMessages);
    return due.map((message) => {
      message.deliveryCount += 1;
      message.lock = { token: `lock-${message.sequenceNumber}-${message.deliveryCount}`, until: now + this.settings.lockDurationMs };
      return toReceived(message);
    });
  }

  async complete(received: ReceivedMessage): Promise<void> {
    this.messages.splice(this.messages.indexOf(this.locked(received)), 1);
  }

  async abandon(received: ReceivedMessage): Promise<void> {
    this.release(this.locked(received));
  }

  async deadLetter(received: ReceivedMessage, { reason, description }: { readonly reason: string; readonly description?: string }): Promise<void> {
    const message = this.locked(received);
    message.lock = undefined;
    message.deadLetter = { reason, ...(description === undefined ? {} : { description }) };
  }

  async list(queue: string, { limit = 100, fromSequenceNumber = 0 }: { readonly limit?: number; readonly fromSequenceNumber?: number } = {}): Promise<DeadLetter[]> {
    this.expireLocks(this.now());
    return this.deadLetters(queue)
      .filter((m) => m.sequenceNumber >= fromSequenceNumber)
      .slice(0, limit)
      .map(toDeadLetter);
  }

  async peek(queue: string, sequenceNumber: number): Promise<DeadLetter | undefined> {
    return (await this.list(queue, { fromSequenceNumber: sequenceNumber, limit: 1 })).find((m) => m.sequenceNumber === sequenceNumber);
  }

  async resubmit(queue: string, sequenceNumber: number): Promise<ResubmittedDeadLetter | undefined> {
    const message = this.deadLetters(queue).find((m) => m.sequenceNumber === sequenceNumber);
    if (!message) return undefined;
    const deadLetter = toDeadLetter(message);
    const messageId = resubmittedMessageId(message.messageId, sequenceNumber);
    const { body, subject, correlationId, properties } = message;
    await this.send(queue, { messageId, body, ...defined({ subject, correlationId, properties }) });
    this.messages.splice(this.messages.indexOf(message), 1);
    return { deadLetter, messageId };
  }

  async purge(queue: string): Promise<number> {
    const purged = this.deadLetters(queue);
    for (const message of purged) this.messages.splice(this.messages.indexOf(message), 1);
    return purged.length;
  }

  /** Messages waiting in `queue` (or in every queue), received, scheduled and locked ones included, in sequence order. */
  pending(queue?: string): readonly QueuedMessage[] {
    return this.messages.filter((m) => !m.deadLetter && (queue === undefined || m.queue === queue));
  }

  /** When the next scheduled message becomes receivable or the next lock expires; undefined when nothing is waiting. */
  nextDueAt(): number | undefined {
    const times = this.pending().map((m) => m.lock?.until ?? m.visibleAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  private live(queue: string): QueuedMessage[] {
    return this.messages.filter((m) => m.queue === queue && !m.deadLetter);
  }

  private deadLetters(queue: string): QueuedMessage[] {
    return this.messages.filter((m) => m.queue === queue && m.deadLetter);
  }

  private locked(received: ReceivedMessage): QueuedMessage {
    this.expireLocks(this.now());
    const message = this.messages.find((m) => m.lock?.token === received.lockToken);
    if (!message) {
      throw new IllegalStateError('message_lock_lost', `The lock ${received.lockToken} is not held: it expired or the message was settled`, false);
    }
    return message;
  }

  /** Unlocks the message; after `maxDeliveryCount` deliveries it is dead-lettered instead. */
  private release(message: QueuedMessage): void {
    message.lock = undefined;
    const { maxDeliveryCount } = this.settings;
    if (message.deliveryCount >= maxDeliveryCount) {
      message.deadLetter = { reason: maxDeliveryCountExceeded, description: maxDeliveryCountDescription(maxDeliveryCount) };
    }
  }

  private expireLocks(now: number): void {
    for (const message of this.messages) if (message.lock && message.lock.until <= now) this.release(message);
  }
}

/** What a queue hands over of a message, a copy of its body included. */
function messageFields({ queue, messageId, sequenceNumber, body, subject, correlationId, properties = {}, deliveryCount, enqueuedAt }: QueuedMessage): QueueMessage {
  return { queue, messageId, sequenceNumber, body: structuredClone(body), ...defined({ subject, correlationId }), properties, deliveryCount, enqueuedAt };
}

const toReceived = (message: QueuedMessage): ReceivedMessage => ({
  ...messageFields(message),
  lockToken: message.lock?.token ?? '',
  lockedUntil: new Date(message.lock?.until ?? 0),
});

const toDeadLetter = (message: QueuedMessage): DeadLetter => ({
  ...messageFields(message),
  reason: message.deadLetter?.reason ?? '',
  ...defined({ description: message.deadLetter?.description }),
});

/** The object without its undefined properties. */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
