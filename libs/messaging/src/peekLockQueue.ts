import type { DeadLetters, QueueMessage } from './deadLetters';
import type { MessageSender } from './messageSender';

/** A message received in peek-lock mode: settle it with its lock token while the lock holds. */
export interface ReceivedMessage extends QueueMessage {
  readonly lockToken: string;
  readonly lockedUntil: Date;
}

/**
 * A queue with Service Bus semantics: duplicate detection by messageId within a window, scheduled
 * messages, peek-lock receive (an expired lock makes the message receivable again), complete,
 * abandon (dead-lettered as `MaxDeliveryCountExceeded` once delivered `maxDeliveryCount` times),
 * dead-letter with a reason, and dead-letter administration. Adapters: in memory, SQLite, Service
 * Bus; each passes `describeQueueContract` (`@commandflow/messaging/testing`).
 */
export interface PeekLockQueue extends MessageSender, DeadLetters {
  /** Locks and returns up to `maxMessages` (default 1) receivable messages; an empty array when there are none. */
  receive(queue: string, options?: { readonly maxMessages?: number }): Promise<ReceivedMessage[]>;
  /** Removes the message. @throws IllegalStateError `message_lock_lost` when the lock is no longer held. */
  complete(message: ReceivedMessage): Promise<void>;
  /** Makes the message receivable again now. @throws IllegalStateError `message_lock_lost`. */
  abandon(message: ReceivedMessage): Promise<void>;
  /** Moves the message to the dead-letter queue with a reason. @throws IllegalStateError `message_lock_lost`. */
  deadLetter(message: ReceivedMessage, reason: { readonly reason: string; readonly description?: string }): Promise<void>;
}

/** The dead-letter reason of a message delivered `maxDeliveryCount` times (Service Bus's wording). */
export const maxDeliveryCountExceeded = 'MaxDeliveryCountExceeded';

/** The dead-letter description of a message delivered `maxDeliveryCount` times (Service Bus's wording). */
export const maxDeliveryCountDescription = (maxDeliveryCount: number): string =>
  `Message could not be consumed after ${maxDeliveryCount} delivery attempts.`;

/**
 * Thrown by a queue function to have its message dead-lettered now, with a reason. A host that can
 * dead-letter (the local host, the in-memory workflow) does so; the Functions host on Azure treats
 * it as any failure: the message is abandoned and Service Bus dead-letters it after
 * `maxDeliveryCount` deliveries, the reason in the invocation's log.
 */
export class DeadLetterRequest extends Error {
  constructor(
    readonly reason: string,
    readonly description: string,
  ) {
    super(`${reason}: ${description}`);
    this.name = 'DeadLetterRequest';
  }
}

export const isDeadLetterRequest = (error: unknown): error is DeadLetterRequest => error instanceof DeadLetterRequest;

/**
 * Runs a queue function on a received message as the Functions host does: complete when it
 * resolves, dead-letter when it throws a DeadLetterRequest, abandon on any other error.
 */
export async function runQueueFunction(queue: PeekLockQueue, message: ReceivedMessage, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (isDeadLetterRequest(error)) return queue.deadLetter(message, error);
    return queue.abandon(message);
  }
  await queue.complete(message);
}
