import { isServiceBusError, type ServiceBusClient, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import { IllegalStateError } from '@commandflow/events';
import type { DeadLetter, OutgoingMessage, PeekLockQueue, ReceivedMessage, ResubmittedDeadLetter } from '@commandflow/messaging';
import { ServiceBusDeadLetters, type ServiceBusDeadLettersOptions } from './serviceBusDeadLetters';
import { ServiceBusMessageSender } from './serviceBusMessageSender';
import { receivedMessageFields } from './serviceBusReceivedMessage';

export interface ServiceBusQueueOptions extends ServiceBusDeadLettersOptions {
  /** How long a receive waits for a first message, in ms. Default 1000. */
  readonly receiveWaitMs?: number;
}

/**
 * The PeekLockQueue port on Service Bus, over the process's one client: sends through
 * ServiceBusMessageSender, receives in peek-lock (no automatic lock renewal: a lock lasts the
 * queue's lockDuration, as a trigger's would without renewal), settles by the received message,
 * and administers dead letters through ServiceBusDeadLetters. Service Bus itself applies
 * duplicate detection, scheduling, lock expiry and maxDeliveryCount, as provisioned.
 */
export class ServiceBusQueue implements PeekLockQueue {
  private readonly sender: ServiceBusMessageSender;
  private readonly deadLetters: ServiceBusDeadLetters;
  private readonly receivers = new Map<string, ServiceBusReceiver>();
  /** Messages received and not yet settled, by lock token. */
  private readonly held = new Map<string, { readonly receiver: ServiceBusReceiver; readonly message: ServiceBusReceivedMessage }>();
  private readonly receiveWaitMs: number;

  constructor(
    private readonly client: ServiceBusClient,
    { receiveWaitMs = 1_000, ...deadLetterOptions }: ServiceBusQueueOptions = {},
  ) {
    this.sender = new ServiceBusMessageSender(client);
    this.deadLetters = new ServiceBusDeadLetters(client, deadLetterOptions);
    this.receiveWaitMs = receiveWaitMs;
  }

  send(queue: string, message: OutgoingMessage): Promise<void> {
    return this.sender.send(queue, message);
  }

  async receive(queue: string, { maxMessages = 1 }: { readonly maxMessages?: number } = {}): Promise<ReceivedMessage[]> {
    let receiver = this.receivers.get(queue);
    if (!receiver) this.receivers.set(queue, (receiver = this.client.createReceiver(queue, { receiveMode: 'peekLock', maxAutoLockRenewalDurationInMs: 0 })));
    const messages = await receiver.receiveMessages(maxMessages, { maxWaitTimeInMs: this.receiveWaitMs });
    return messages.map((message) => {
      const lockToken = message.lockToken ?? '';
      this.held.set(lockToken, { receiver: receiver as ServiceBusReceiver, message });
      return { queue, ...receivedMessageFields(message), lockToken, lockedUntil: message.lockedUntilUtc ?? new Date(0) };
    });
  }

  complete(message: ReceivedMessage): Promise<void> {
    return this.settle(message, (receiver, received) => receiver.completeMessage(received));
  }

  abandon(message: ReceivedMessage): Promise<void> {
    return this.settle(message, (receiver, received) => receiver.abandonMessage(received));
  }

  deadLetter(message: ReceivedMessage, { reason, description }: { readonly reason: string; readonly description?: string }): Promise<void> {
    return this.settle(message, (receiver, received) =>
      receiver.deadLetterMessage(received, { deadLetterReason: reason, deadLetterErrorDescription: description ?? '' }),
    );
  }

  list(queue: string, options?: { readonly limit?: number; readonly fromSequenceNumber?: number }): Promise<DeadLetter[]> {
    return this.deadLetters.list(queue, options);
  }

  peek(queue: string, sequenceNumber: number): Promise<DeadLetter | undefined> {
    return this.deadLetters.peek(queue, sequenceNumber);
  }

  resubmit(queue: string, sequenceNumber: number): Promise<ResubmittedDeadLetter | undefined> {
    return this.deadLetters.resubmit(queue, sequenceNumber);
  }

  purge(queue: string): Promise<number> {
    return this.deadLetters.purge(queue);
  }

  /** Closes the receivers and the sender links (not the client, which the caller owns). */
  async close(): Promise<void> {
    const receivers = [...this.receivers.values()];
    this.receivers.clear();
    this.held.clear();
    await Promise.all([...receivers.map((receiver) => receiver.close()), this.sender.close()]);
  }

  private async settle(
    { lockToken }: ReceivedMessage,
    settlement: (receiver: ServiceBusReceiver, message: ServiceBusReceivedMessage) => Promise<void>,
  ): Promise<void> {
    const held = this.held.get(lockToken);
    if (!held) throw lockLost(lockToken);
    this.held.delete(lockToken);
    try {
      await settlement(held.receiver, held.message);
    } catch (error) {
      if (isServiceBusError(error) && error.code === 'MessageLockLost') throw lockLost(lockToken);
      throw error;
    }
  }
}

const lockLost = (lockToken: string) =>
  new IllegalStateError('message_lock_lost', `The lock ${lockToken} is not held: it expired or the message was already settled`, false, {
    lockToken,
  });
