import type { MessageSender, OutgoingMessage } from './messageSender';

/** A message waiting in an in-memory queue. */
export interface QueuedMessage extends OutgoingMessage {
  readonly queue: string;
}

/**
 * Queues in process memory with duplicate detection by messageId (forever, not a window), for
 * tests and the in-process workflow. `take` removes the oldest message of a queue.
 */
export class InMemoryQueues implements MessageSender {
  private readonly queued: QueuedMessage[] = [];
  private readonly seenIds = new Set<string>();
  /** Every send that was accepted, duplicates excluded, in order. */
  readonly accepted: QueuedMessage[] = [];

  async send(queue: string, message: OutgoingMessage): Promise<void> {
    const key = `${queue}\u0000${message.messageId}`;
    if (this.seenIds.has(key)) return;
    this.seenIds.add(key);
    const queuedMessage = { ...message, queue };
    this.queued.push(queuedMessage);
    this.accepted.push(queuedMessage);
  }

  /** Removes and returns the oldest message of `queue`, or undefined when it is empty. */
  take(queue: string): QueuedMessage | undefined {
    const index = this.queued.findIndex((m) => m.queue === queue);
    return index === -1 ? undefined : this.queued.splice(index, 1)[0];
  }

  /** Messages waiting in `queue` (or in every queue), oldest first. */
  pending(queue?: string): readonly QueuedMessage[] {
    return this.queued.filter((m) => queue === undefined || m.queue === queue);
  }
}
