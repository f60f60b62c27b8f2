import { randomBytes } from 'node:crypto';
import type { AddressInfo, Server, Socket } from 'node:net';
import {
  create_container,
  message as amqpMessage,
  types,
  type AmqpError,
  type Connection,
  type EventContext,
  type Message,
  type Sender,
} from 'rhea';
import { PeerQueue, type MessageLock, type PeerQueueSettings, type StoredMessage, type SubQueue } from './peerQueue';

export interface ServiceBusTestPeerOptions {
  /** Deliveries before a message is dead-lettered with reason `MaxDeliveryCountExceeded`. Default 10. */
  readonly maxDeliveryCount?: number;
  /** How long a receive locks a message, in ms. Default 60 000 (PT1M). */
  readonly lockDurationMs?: number;
  /** How long a messageId is remembered so that repeats are dropped, in ms. Default 600 000 (PT10M). */
  readonly duplicateDetectionWindowMs?: number;
}

/** A message held by the peer, for assertions. */
export interface PeerMessage {
  readonly sequenceNumber: number;
  readonly messageId?: string;
  readonly subject?: string;
  readonly contentType?: string;
  readonly correlationId?: string;
  /** A data-section body parsed as JSON (its bytes if it is not JSON); any other body as sent. */
  readonly body: unknown;
  readonly applicationProperties: Readonly<Record<string, unknown>>;
  /** Deliveries that ended without completion: what the JavaScript SDK shows as `deliveryCount`. */
  readonly deliveryCount: number;
  readonly enqueuedAt: Date;
  /** Receivable from then on: later than `enqueuedAt` for a scheduled message. */
  readonly visibleAt: Date;
  readonly locked: boolean;
  readonly deadLetterReason?: string;
  readonly deadLetterDescription?: string;
}

/** A running peer on 127.0.0.1. */
export interface ServiceBusTestPeer {
  readonly port: number;
  /** An emulator connection string (`UseDevelopmentEmulator=true`: plain AMQP, no TLS) for this peer. */
  readonly connectionString: string;
  /** Messages in `queue` (received and locked ones included), in sequence order. */
  messages(queue: string): PeerMessage[];
  /** Messages in `<queue>/$DeadLetterQueue`, in sequence order. */
  deadLetters(queue: string): PeerMessage[];
  /** Every message `queue` ever accepted, settled ones included, in sequence order. */
  history(queue: string): PeerMessage[];
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

const defaultSettings: PeerQueueSettings = { maxDeliveryCount: 10, lockDurationMs: 60_000, duplicateDetectionWindowMs: 600_000 };

/** The Service Bus condition of a settlement whose lock is no longer held. */
const lockLostCondition = 'com.microsoft:message-lock-lost';
const peekOperation = 'com.microsoft:peek-message';
/** The message format of a batch (`sendMessages` with an array): each data section is an encoded message. */
const batchFormat = 0x80013700;

/** rhea builds outcomes at run time; its typings do not declare these constructors. */
type Outcome = { described(): unknown };
const outcomes = amqpMessage as unknown as { accepted(): Outcome; released(): Outcome; rejected(fields: { error?: AmqpError }): Outcome };

/** A client's receiver link on a queue or its dead-letter subqueue: our sender. */
interface Consumer {
  readonly queue: PeerQueue;
  readonly subQueue: SubQueue;
  /** The client settles on receipt (sender settle mode "settled"): a delivered message is gone, no lock. */
  readonly receiveAndDelete: boolean;
}

/** What an attach or request address names: `<queue>[/$DeadLetterQueue][/$management]`, or `$cbs`. */
interface Address {
  readonly queue: string;
  readonly subQueue: SubQueue;
  readonly management: boolean;
}

function parseAddress(address: string): Address {
  const [, queue = '', deadLetter, management] = /^(.*?)(\/\$deadletterqueue)?(\/\$management)?$/i.exec(address) ?? [];
  return { queue, subQueue: deadLetter ? 'deadLetter' : 'active', management: Boolean(management) || address === '$management' };
}

/**
 * Starts the peer on 127.0.0.1 and a port the OS picks. It accepts any SASL ANONYMOUS or PLAIN
 * login and any `$cbs` token, creates queues on first use, and answers the one management
 * operation the SDK's `peekMessages` sends.
 */
export async function startServiceBusTestPeer(options: ServiceBusTestPeerOptions = {}): Promise<ServiceBusTestPeer> {
  const settings: PeerQueueSettings = { ...defaultSettings, ...options };
  const queues = new Map<string, PeerQueue>();
  const consumers = new Map<Sender, Consumer>();
  const connections = new Set<Connection>();
  let lastSequenceNumber = 0;
  let wakeUp: NodeJS.Timeout | undefined;

  const queueNamed = (name: string) => {
    let queue = queues.get(name);
    if (!queue) queues.set(name, (queue = new PeerQueue(name, settings)));
    return queue;
  };

  /** Hands receivable messages to every consumer with credit, then sleeps until the next lock expiry or scheduled message. */
  const deliver = () => {
    const now = Date.now();
    for (const queue of queues.values()) queue.expireLocks(now);
    for (const [link, consumer] of consumers) {
      while (link.sendable()) {
        const next = consumer.queue.nextReceivable(consumer.subQueue, now);
        if (!next) break;
        const token = randomBytes(16);
        if (consumer.receiveAndDelete) {
          link.send(toAmqpMessage(next), token);
          consumer.queue.complete(next);
        } else {
          link.send(toAmqpMessage(next, consumer.queue.lock(next, token, now)), token);
        }
      }
    }
    clearTimeout(wakeUp);
    const next = Math.min(...[...queues.values()].map((q) => q.nextChange(now)));
    wakeUp = Number.isFinite(next) ? setTimeout(deliver, Math.max(0, next - now)).unref() : undefined;
  };

  /** Applies a client's disposition if its lock is still held, then settles the delivery with `outcome` (never an error: the SDK would throw it). */
  const settle = ({ delivery }: EventContext, outcome: Outcome, settlement: (queue: PeerQueue, stored: StoredMessage) => void) => {
    if (!delivery) return;
    const consumer = consumers.get(delivery.link as Sender);
    consumer?.queue.expireLocks(Date.now());
    const stored = consumer?.queue.locked(Buffer.from(delivery.tag));
    if (!consumer || !stored) {
      const error = { condition: lockLostCondition, description: 'The lock on the message was lost: it expired or the message was settled.' };
      delivery.update(true, outcomes.rejected({ error }).described());
      return;
    }
    settlement(consumer.queue, stored);
    delivery.update(true, outcome.described());
    deliver();
  };

  const container = create_container({ id: 'servicebus-test-peer' });
  container.sasl_server_mechanisms.enable_anonymous();
  container.sasl_server_mechanisms.enable_plain(() => true);

  container.on('connection_open', ({ connection }: EventContext) => connections.add(connection));
  container.on('disconnected', ({ connection }: EventContext) => connections.delete(connection));
  container.on('connection_close', ({ connection }: EventContext) => connections.delete(connection));

  // The client attached a receiver: our sender. Reply links ($cbs, $management) stay idle until a request.
  container.on('sender_open', ({ sender }: EventContext) => {
    if (!sender) return;
    sender.set_source(sender.source);
    sender.set_target(sender.target);
    const address = parseAddress(sender.source?.address ?? '');
    if (address.queue === '$cbs' || address.management) return;
    consumers.set(sender, { queue: queueNamed(address.queue), subQueue: address.subQueue, receiveAndDelete: sender.snd_settle_mode === 1 });
  });
  container.on('sender_close', ({ sender }: EventContext) => sender && consumers.delete(sender));
  container.on('sendable', deliver);
  container.on('sender_draining', ({ sender }: EventContext) => {
    deliver();
    sender?.set_drained(true);
  });

  // The client attached a sender: our receiver, which accepts every transfer once `message` returns.
  container.on('receiver_open', ({ receiver }: EventContext) => {
    receiver?.set_source(receiver.source);
    receiver?.set_target(receiver.target);
  });
  container.on('message', ({ receiver, message, delivery, connection }: EventContext) => {
    if (!receiver || !message) return;
    const address = parseAddress(receiver.target?.address ?? '');
    if (address.queue === '$cbs') {
      reply(connection, message, { 'status-code': 200, 'status-description': 'OK' });
    } else if (address.management) {
      reply(connection, message, ...manage(message, queueNamed(address.queue), address.subQueue));
    } else {
      const queue = queueNamed(address.queue);
      for (const sent of delivery?.format === batchFormat ? unbatch(message) : [message]) {
        if (queue.enqueue(sent, lastSequenceNumber + 1, Date.now())) lastSequenceNumber += 1;
      }
      deliver();
    }
  });

  // Dispositions from a client's receiver (settle mode "second": we settle, and the SDK waits for that).
  container.on('accepted', (context: EventContext) => settle(context, outcomes.accepted(), (queue, stored) => queue.complete(stored)));
  container.on('released', (context: EventContext) => settle(context, outcomes.released(), (queue, stored) => queue.abandon(stored)));
  // Service Bus dead-letters any rejected message; the SDK's deadLetterMessage puts its reason in the error's info.
  container.on('rejected', (context: EventContext) =>
    settle(context, outcomes.rejected({}), (queue, stored) => {
      const error = (context.delivery?.remote_state as { error?: AmqpError } | undefined)?.error;
      const info = (error?.info ?? {}) as Record<string, unknown>;
      const text = (value: unknown, fallback?: string) => (typeof value === 'string' ? value : fallback);
      queue.deadLetter(stored, text(info['DeadLetterReason'], error?.condition) ?? 'Rejected', text(info['DeadLetterErrorDescription'], error?.description));
    }),
  );

  const sockets = new Set<Socket>();
  const server: Server = container.listen({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket: Socket) => sockets.add(socket.once('close', () => sockets.delete(socket))));
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;

  const view = (queue: string, subQueue: SubQueue) => queues.get(queue)?.list(subQueue).map(toPeerMessage) ?? [];
  return {
    port,
    connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;`,
    messages: (queue) => view(queue, 'active'),
    deadLetters: (queue) => view(queue, 'deadLetter'),
    history: (queue) => queues.get(queue)?.history.map(toPeerMessage) ?? [],
    async close() {
      clearTimeout(wakeUp);
      for (const connection of connections) connection.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Answers a request on the client's receiver link that its reply-to names (by link name, as `$cbs` does, or target address). */
function reply(connection: Connection, request: Message, applicationProperties: Record<string, unknown>, body?: unknown): void {
  const replyTo = request.reply_to;
  const link = connection.find_sender((sender: Sender) => sender.name === replyTo || sender.target?.address === replyTo);
  link?.send({ correlation_id: request.message_id, to: replyTo, application_properties: applicationProperties, body });
}

/** A management request's status and body: only `com.microsoft:peek-message` is implemented. */
function manage(request: Message, queue: PeerQueue, subQueue: SubQueue): [Record<string, unknown>, unknown?] {
  const operation = request.application_properties?.operation;
  if (operation !== peekOperation) {
    const statusDescription = `The Service Bus test peer does not implement ${String(operation)}`;
    return [{ statusCode: 501, statusDescription, errorCondition: 'amqp:not-implemented' }];
  }
  const body = request.body as Record<string, unknown>;
  const from = body['from-sequence-number'];
  const fromSequenceNumber = Buffer.isBuffer(from) ? Number(from.readBigInt64BE()) : Number(from);
  const peeked = queue
    .list(subQueue)
    .filter((m) => m.sequenceNumber >= fromSequenceNumber)
    .slice(0, Number(body['message-count']));
  if (peeked.length === 0) return [{ statusCode: 204, statusDescription: 'No Content' }];
  return [{ statusCode: 200, statusDescription: 'OK' }, { messages: peeked.map((m) => ({ message: amqpMessage.encode(toAmqpMessage(m)) })) }];
}

/** The message as Service Bus delivers it: the header's delivery count and the broker's annotations. */
function toAmqpMessage(stored: StoredMessage, lock?: MessageLock): Message {
  return {
    ...stored.message,
    delivery_count: stored.deliveryCount,
    message_annotations: {
      ...stored.message.message_annotations,
      'x-opt-sequence-number': types.wrap_long(stored.sequenceNumber),
      'x-opt-enqueued-time': new Date(stored.enqueuedAt),
      ...(lock && { 'x-opt-locked-until': new Date(lock.until), 'x-opt-lock-token': types.wrap_uuid(lock.token) }),
    },
  };
}

function toPeerMessage({ sequenceNumber, message, deliveryCount, enqueuedAt, visibleAt, lock }: StoredMessage): PeerMessage {
  const { DeadLetterReason, DeadLetterErrorDescription, ...applicationProperties } = message.application_properties ?? {};
  const optional = (name: string, value: unknown) => (value === undefined || value === null ? {} : { [name]: String(value) });
  return {
    sequenceNumber,
    ...optional('messageId', message.message_id),
    ...optional('subject', message.subject),
    ...optional('contentType', message.content_type),
    ...optional('correlationId', message.correlation_id),
    body: bodyOf(message),
    applicationProperties,
    deliveryCount,
    enqueuedAt: new Date(enqueuedAt),
    visibleAt: new Date(visibleAt),
    locked: Boolean(lock),
    ...optional('deadLetterReason', DeadLetterReason),
    ...optional('deadLetterDescription', DeadLetterErrorDescription),
  };
}

/** rhea's decoder, typed as the messages its events carry. */
const decode = (encoded: Buffer) => amqpMessage.decode(encoded) as unknown as Message;

/** A batch's data sections, each an encoded message; rhea hands over a transfer of another format than 0 undecoded. */
function unbatch(batch: Message): Message[] {
  const { content, multiple } = decode(batch as unknown as Buffer).body as { content: Buffer | Buffer[]; multiple?: boolean };
  return (multiple ? (content as Buffer[]) : [content as Buffer]).map(decode);
}

/** The SDK sends an object body as JSON in a data section (typecode 0x75). */
function bodyOf(message: Message): unknown {
  const body = message.body as { typecode?: number; content?: unknown } | undefined;
  if (body?.typecode !== 0x75 || !Buffer.isBuffer(body.content)) return body;
  try {
    return JSON.parse(body.content.toString('utf8'));
  } catch {
    return body.content;
  }
}

