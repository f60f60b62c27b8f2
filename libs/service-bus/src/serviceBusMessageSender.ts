import { ServiceBusClient, type ServiceBusMessage, type ServiceBusSender } from '@azure/service-bus';
import type { MessageSender, OutgoingMessage } from '@commandflow/messaging';
import { connectServiceBus, type ServiceBusConnectOptions } from './serviceBusConnection';
import type { ServiceBusSettings } from './serviceBusSettings';

/** The content type of every message this sender sends: its body is a JSON object. */
const jsonContentType = 'application/json';

/**
 * The MessageSender port on Azure Service Bus: one sender link per queue, opened on the first send
 * and reused. The messageId is sent as given, so the queue's duplicate detection drops a repeated
 * step message. A send resolves once Service Bus has accepted the message; after the client's
 * retries (see `defaultServiceBusRetryOptions`) it rejects, and the step throws so that its
 * trigger redelivers and the step sends again.
 */
export class ServiceBusMessageSender implements MessageSender {
  private readonly client: ServiceBusClient;
  /** Whether `close()` closes the client too: only when this sender built it from settings. */
  private readonly ownsClient: boolean;
  private readonly senders = new Map<string, ServiceBusSender>();

  /** Sends through `client` (the process's one client), or through a client of its own built from `settings`. */
  constructor(client: ServiceBusClient);
  constructor(settings: ServiceBusSettings, options?: ServiceBusConnectOptions);
  constructor(clientOrSettings: ServiceBusClient | ServiceBusSettings, options?: ServiceBusConnectOptions) {
    this.ownsClient = !(clientOrSettings instanceof ServiceBusClient);
    this.client = this.ownsClient ? connectServiceBus(clientOrSettings as ServiceBusSettings, options) : (clientOrSettings as ServiceBusClient);
  }

  async send(queue: string, message: OutgoingMessage): Promise<void> {
    let sender = this.senders.get(queue);
    if (!sender) this.senders.set(queue, (sender = this.client.createSender(queue)));
    await sender.sendMessages(toServiceBusMessage(message));
  }

  /** Closes every sender link, and the client if this sender built it. Call on shutdown. */
  async close(): Promise<void> {
    const senders = [...this.senders.values()];
    this.senders.clear();
    await Promise.all(senders.map((sender) => sender.close()));
    if (this.ownsClient) await this.client.close();
  }
}

/**
 * The Service Bus message for an outgoing message: messageId as given, the body as JSON, subject
 * (the command type), correlationId, application properties (commandId, commandType,
 * correlationId, traceparent, as the caller set them) and the scheduled enqueue time.
 */
export function toServiceBusMessage(message: OutgoingMessage): ServiceBusMessage {
  const { messageId, body, subject, correlationId, properties, scheduledEnqueueTime } = message;
  return {
    messageId,
    body,
    contentType: jsonContentType,
    ...(subject !== undefined && { subject }),
    ...(correlationId !== undefined && { correlationId }),
    applicationProperties: { ...properties },
    ...(scheduledEnqueueTime !== undefined && { scheduledEnqueueTimeUtc: scheduledEnqueueTime }),
  };
}
