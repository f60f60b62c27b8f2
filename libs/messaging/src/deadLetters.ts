/** A message as a queue holds it: the same fields on the local queue and on Service Bus. */
export interface QueueMessage {
  readonly queue: string;
  /** Assigned by the queue when the message was enqueued, increasing; what `peek` and `resubmit` select a dead letter by. */
  readonly sequenceNumber: number;
  readonly messageId: string;
  /** The body as sent: a step message's is `{ commandId }`. A body the queue could not decode is its text. */
  readonly body: unknown;
  readonly subject?: string;
  readonly correlationId?: string;
  /** Application properties, without the queue's own dead-letter reason and description. */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** Deliveries so far: 1 during the first delivery, as the Functions host counts. */
  readonly deliveryCount: number;
  readonly enqueuedAt: Date;
}

/** A message its queue gave up on, and why. */
export interface DeadLetter extends QueueMessage {
  /** `MaxDeliveryCountExceeded`, `TTLExpiredException`, or the reason the delivery policy gave. */
  readonly reason: string;
  readonly description?: string;
}

/** What a resubmit did. */
export interface ResubmittedDeadLetter {
  /** The dead letter as it was; it is gone from the dead-letter queue now. */
  readonly deadLetter: DeadLetter;
  /**
   * The copy's messageId, `<original messageId>:resubmit:<sequenceNumber>` on every queue: the
   * original id may still be inside the duplicate-detection window, where a copy under it would be
   * dropped; a repeated resubmit of the same dead letter sends no second copy within the window.
   */
  readonly messageId: string;
}

/**
 * Dead-letter administration of a queue: the CLI's `dlq`, the page's dead letters. Looking locks
 * and changes nothing. Adapters: the SQLite queue, Service Bus; all pass the queue contract.
 */
export interface DeadLetters {
  /** Dead letters of `queue` in sequence order, from `fromSequenceNumber` (default the oldest). Default limit 100. */
  list(queue: string, options?: { readonly limit?: number; readonly fromSequenceNumber?: number }): Promise<DeadLetter[]>;
  /** One dead letter, or undefined when `queue` has none with that sequence number. */
  peek(queue: string, sequenceNumber: number): Promise<DeadLetter | undefined>;
  /** Puts a copy back on `queue` (see `ResubmittedDeadLetter`). Undefined when there is no such dead letter. */
  resubmit(queue: string, sequenceNumber: number): Promise<ResubmittedDeadLetter | undefined>;
  /** Deletes every dead letter of `queue`; resolves to how many there were. */
  purge(queue: string): Promise<number>;
}

/** The messageId of a resubmitted copy; a copy of a copy loses the earlier suffix. */
export function resubmittedMessageId(messageId: string, sequenceNumber: number): string {
  return `${messageId.replace(/:resubmit:\d+$/, '')}:resubmit:${sequenceNumber}`;
}
