import { IllegalStateError, NotFoundError, ValidationError } from '@commandflow/events';
import type { MessageSender, OutgoingMessage } from '@commandflow/messaging';
import { defaultQueueSettings, queueTopology } from '@commandflow/topology';
import { randomUUID } from 'node:crypto';
import type { CommandflowDatabase } from './commandflowDatabase';

/** How one local queue behaves. Defaults come from `queueTopology()`, as on Azure. */
export interface LocalQueueSettings {
  /** Deliveries before a message is dead-lettered with reason `MaxDeliveryCountExceeded`. Default 10. */
  readonly maxDeliveryCount: number;
  /** How long a receive locks a message, in ms. Default 60 000 (PT1M). */
  readonly lockDurationMs: number;
  /** How long a sent messageId is remembered so that repeats are dropped, in ms. Default 600 000 (PT10M). */
  readonly duplicateDetectionWindowMs: number;
}

export interface SqliteQueueOptions {
  /** Settings per queue name, over the topology's (tests and the local host use short locks and small counts). */
  readonly queues?: Readonly<Record<string, Partial<LocalQueueSettings>>>;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Makes lock tokens. Default `crypto.randomUUID`. */
  readonly newLockToken?: () => string;
}

/** A message as stored in a queue. */
export interface QueueMessage {
  readonly queue: string;
  readonly messageId: string;
  /** Assigned when the message is enqueued, increasing; a resubmitted dead letter gets a new one. */
  readonly sequenceNumber: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly subject?: string;
  readonly correlationId?: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** Deliveries so far: 1 during the first delivery, as on Service Bus. */
  readonly deliveryCount: number;
  readonly enqueuedAt: Date;
}

/** A message received in peek-lock mode: settle it with its lock token before `lockedUntil`. */
export interface ReceivedMessage extends QueueMessage {
  readonly lockToken: string;
  readonly lockedUntil: Date;
}

/** A message looked at without locking it. */
export interface PeekedMessage extends QueueMessage {
  /** `active`: receivable now; `scheduled`: not before `visibleAt`; `locked`: being handled, its lock lasts until `visibleAt`. */
  readonly state: 'active' | 'scheduled' | 'locked';
  readonly visibleAt: Date;
}

export interface DeadLetteredMessage extends QueueMessage {
  readonly deadLetterReason: string;
  readonly deadLetterDescription?: string;
  readonly deadLetteredAt: Date;
}

export interface QueueCounts {
  /** Receivable now. */
  readonly active: number;
  /** Scheduled for later. */
  readonly scheduled: number;
  /** Received and not yet settled, lock still live. */
  readonly locked: number;
  readonly deadLettered: number;
}

/** The dead-letter reason of a message delivered `maxDeliveryCount` times (Service Bus's wording). */
export const maxDeliveryCountExceeded = 'MaxDeliveryCountExceeded';

/** Service Bus's limit on message ids. */
const maxMessageIdLength = 128;

interface MessageRow {
  readonly sequence_number: number;
  readonly queue: string;
  readonly message_id: string;
  readonly body: string;
  readonly subject: string | null;
  readonly correlation_id: string | null;
  readonly properties: string | null;
  readonly enqueued_at: number;
  readonly state: 'active' | 'locked' | 'dead-lettered';
  /** When an active message becomes receivable, or when a locked one's lock expires. */
  readonly visible_at: number;
  readonly delivery_count: number;
  readonly lock_token: string | null;
  readonly dead_letter_reason: string | null;
  readonly dead_letter_description: string | null;
  readonly dead_lettered_at: number | null;
}

type LockedRow = Pick<MessageRow, 'sequence_number' | 'queue' | 'delivery_count'>;

interface NewMessageRow {
  readonly queue: string;
  readonly messageId: string;
  readonly body: string;
  readonly subject: string | null;
  readonly correlationId: string | null;
  readonly properties: string | null;
  readonly enqueuedAt: number;
  readonly visibleAt: number;
}

/**
 * A durable queue in the shared database file with Service Bus semantics: duplicate detection by
 * messageId within a window, scheduled messages, peek-lock receive (an expired lock makes the
 * message visible again), complete, abandon, dead-lettering after `maxDeliveryCount` deliveries
 * or on request, and a dead-letter state to list, peek, resubmit and purge. Every operation is one
 * `BEGIN IMMEDIATE` transaction, so several processes may share a queue: a message is never held
 * by two live locks. Messages are received in the order they became visible, then by sequence number.
 */
export class SqliteQueue implements MessageSender {
  private readonly sentListeners = new Set<(queue: string) => void>();
  private readonly now: () => number;
  private readonly newLockToken: () => string;
  private readonly settings = new Map<string, LocalQueueSettings>();
  private readonly statements;
  private readonly sendTransaction: (row: NewMessageRow, duplicateWindowMs: number) => void;
  private readonly receiveTransaction: (queue: string, maxMessages: number, lockDurationMs: number, now: number) => ReceivedMessage[];
  private readonly completeTransaction: (lockToken: string, now: number) => void;
  private readonly settleTransaction: <Result>(lockToken: string, now: number, settle: (row: LockedRow) => Result) => Result;
  private readonly resubmitTransaction: (queue: string, sequenceNumber: number, now: number) => number;
  private readonly expireLocksTransaction: <Result>(queue: string, now: number, read: () => Result) => Result;

  constructor(db: CommandflowDatabase, private readonly options: SqliteQueueOptions = {}) {
    this.now = options.now ?? Date.now;
    this.newLockToken = options.newLockToken ?? randomUUID;
    const statements = {
      insert: db.prepare<[NewMessageRow]>(
        `INSERT INTO queue_messages (queue, message_id, body, subject, correlation_id, properties, enqueued_at, state, visible_at)
         VALUES (@queue, @messageId, @body, @subject, @correlationId, @properties, @enqueuedAt, 'active', @visibleAt)`,
      ),
      // Remembers the id unless it is remembered and not yet expired: 1 change means "accept the message".
      rememberId: db.prepare<[string, string, number, number]>(
        `INSERT INTO queue_duplicates (queue, message_id, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (queue, message_id) DO UPDATE SET expires_at = excluded.expires_at WHERE queue_duplicates.expires_at <= ?`,
      ),
      // Runs on every send: usually deletes nothing or the few ids that expired since the last send.
      forgetExpiredIds: db.prepare<[number]>('DELETE FROM queue_duplicates WHERE expires_at <= ?'),
      deadLetterExpiredLocks: db.prepare<[string, string, number, number]>(
        `UPDATE queue_messages SET state = 'dead-lettered', lock_token = NULL, dead_letter_reason = '${maxDeliveryCountExceeded}',
           dead_letter_description = ?, dead_lettered_at = visible_at
         WHERE queue = ? AND state = 'locked' AND visible_at <= ? AND delivery_count >= ?`,
      ),
      releaseExpiredLocks: db.prepare<[string, number]>(
        "UPDATE queue_messages SET state = 'active', lock_token = NULL WHERE queue = ? AND state = 'locked' AND visible_at <= ?",
      ),
      // Something receivable now, or a lock that has expired: whether a receive has anything to do.
      anythingDue: db
        .prepare<[string, number], number>(
          "SELECT 1 FROM queue_messages WHERE queue = ? AND state IN ('active', 'locked') AND visible_at <= ? LIMIT 1",
        )
        .pluck(),
      // LIMIT 1 as a literal: a bound LIMIT makes SQLite re-prepare the statement on every run.
      selectNextReceivable: db
        .prepare<[string, number], number>(
          `SELECT sequence_number FROM queue_messages WHERE queue = ? AND state = 'active' AND visible_at <= ?
           ORDER BY visible_at, sequence_number LIMIT 1`,
        )
        .pluck(),
      lock: db.prepare<[string, number, number], MessageRow>(
        `UPDATE queue_messages SET state = 'locked', lock_token = ?, visible_at = ?, delivery_count = delivery_count + 1
         WHERE sequence_number = ? RETURNING *`,
      ),
      completeLocked: db.prepare<[string, number]>('DELETE FROM queue_messages WHERE lock_token = ? AND visible_at > ?'),
      selectLocked: db.prepare<[string, number], LockedRow>(
        'SELECT sequence_number, queue, delivery_count FROM queue_messages WHERE lock_token = ? AND visible_at > ?',
      ),
      release: db.prepare<[number, number]>(
        "UPDATE queue_messages SET state = 'active', lock_token = NULL, visible_at = ? WHERE sequence_number = ?",
      ),
      renew: db.prepare<[number, number]>('UPDATE queue_messages SET visible_at = ? WHERE sequence_number = ?'),
      deadLetter: db.prepare<[string, string | null, number, number]>(
        `UPDATE queue_messages SET state = 'dead-lettered', lock_token = NULL, dead_letter_reason = ?, dead_letter_description = ?,
           dead_lettered_at = ? WHERE sequence_number = ?`,
      ),
      selectActive: db.prepare<[string, number], MessageRow>(
        "SELECT * FROM queue_messages WHERE queue = ? AND state IN ('active', 'locked') ORDER BY sequence_number LIMIT ?",
      ),
      selectDeadLetters: db.prepare<[string, number, number], MessageRow>(
        `SELECT * FROM queue_messages WHERE queue = ? AND state = 'dead-lettered' AND sequence_number > ?
         ORDER BY sequence_number LIMIT ?`,
      ),
      selectDeadLetter: db.prepare<[string, number], MessageRow>(
        "SELECT * FROM queue_messages WHERE queue = ? AND state = 'dead-lettered' AND sequence_number = ?",
      ),
      resubmit: db.prepare<[number, number, string, number]>(
        `INSERT INTO queue_messages (queue, message_id, body, subject, correlation_id, properties, enqueued_at, state, visible_at)
         SELECT queue, message_id, body, subject, correlation_id, properties, ?, 'active', ? FROM queue_messages
         WHERE queue = ? AND state = 'dead-lettered' AND sequence_number = ?`,
      ),
      delete: db.prepare<[number]>('DELETE FROM queue_messages WHERE sequence_number = ?'),
      purgeDeadLetters: db.prepare<[string]>("DELETE FROM queue_messages WHERE queue = ? AND state = 'dead-lettered'"),
      counts: db.prepare<[number, number, string], QueueCounts>(
        `SELECT count(*) FILTER (WHERE state = 'active' AND visible_at <= ?) AS active,
                count(*) FILTER (WHERE state = 'active' AND visible_at > ?) AS scheduled,
                count(*) FILTER (WHERE state = 'locked') AS locked,
                count(*) FILTER (WHERE state = 'dead-lettered') AS deadLettered
         FROM queue_messages WHERE queue = ?`,
      ),
    };
    this.statements = statements;

    this.sendTransaction = db.transaction((row: NewMessageRow, duplicateWindowMs: number) => {
      statements.forgetExpiredIds.run(row.enqueuedAt);
      const accepted = statements.rememberId.run(row.queue, row.messageId, row.enqueuedAt + duplicateWindowMs, row.enqueuedAt).changes;
      if (accepted) statements.insert.run(row);
    }).immediate;

    this.expireLocksTransaction = db.transaction(<Result>(queue: string, now: number, read: () => Result): Result => {
      this.expireLocks(queue, now);
      return read();
    }).immediate as <Result>(queue: string, now: number, read: () => Result) => Result;

    this.receiveTransaction = db.transaction((queue: string, maxMessages: number, lockDurationMs: number, now: number) => {
      this.expireLocks(queue, now);
      const received: ReceivedMessage[] = [];
      while (received.length < maxMessages) {
        const sequenceNumber = statements.selectNextReceivable.get(queue, now);
        if (sequenceNumber === undefined) break;
        const row = statements.lock.get(this.newLockToken(), now + lockDurationMs, sequenceNumber) as MessageRow;
        received.push({ ...toQueueMessage(row), lockToken: row.lock_token as string, lockedUntil: new Date(row.visible_at) });
      }
      return received;
    }).immediate;

    this.completeTransaction = db.transaction((lockToken: string, now: number) => {
      if (statements.completeLocked.run(lockToken, now).changes === 0) throw lockLost(lockToken);
    }).immediate;

    this.settleTransaction = db.transaction(<Result>(lockToken: string, now: number, settle: (row: LockedRow) => Result): Result => {
      const row = statements.selectLocked.get(lockToken, now);
      if (!row) throw lockLost(lockToken);
      return settle(row);
    }).immediate as <Result>(lockToken: string, now: number, settle: (row: LockedRow) => Result) => Result;

    this.resubmitTransaction = db.transaction((queue: string, sequenceNumber: number, now: number) => {
      const { changes, lastInsertRowid } = statements.resubmit.run(now, now, queue, sequenceNumber);
      if (changes === 0) throw deadLetterNotFound(queue, sequenceNumber);
      statements.delete.run(sequenceNumber);
      return Number(lastInsertRowid);
    }).immediate;
  }

  /**
   * Enqueues durably, unless a message with the same messageId was accepted on this queue within
   * the duplicate-detection window: then it is dropped (and this still resolves, as on Service Bus).
   * @throws ValidationError for an empty queue name or messageId, a body that is not a
   * JSON-serialisable object, bad properties or an invalid scheduled time; nothing is written.
   */
  async send(queue: string, message: OutgoingMessage): Promise<void> {
    const row = toNewMessageRow(queue, message, this.now());
    this.sendTransaction(row, this.settingsOf(queue).duplicateDetectionWindowMs);
    for (const listener of this.sentListeners) listener(queue);
  }

  /**
   * Calls `listener` with the queue's name after each send of this process has committed, so that
   * receivers in the same process can wake at once instead of waiting for their next poll.
   * Returns the function that removes the listener.
   */
  onSent(listener: (queue: string) => void): () => void {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  /**
   * Locks and returns up to `maxMessages` (default 1) receivable messages, each for
   * `lockDurationMs` (default the queue's), adding 1 to their delivery count. Resolves to an empty
   * array when there are none; it does not wait.
   */
  async receive(
    queue: string,
    { maxMessages = 1, lockDurationMs }: { readonly maxMessages?: number; readonly lockDurationMs?: number } = {},
  ): Promise<ReceivedMessage[]> {
    assertQueueName(queue);
    assertPositiveInteger('maxMessages', maxMessages);
    const lockFor = lockDurationMs ?? this.settingsOf(queue).lockDurationMs;
    assertPositiveInteger('lockDurationMs', lockFor);
    const now = this.now();
    // A read outside any transaction: an empty queue (nothing due, no lock expired) costs no write lock.
    if (this.statements.anythingDue.get(queue, now) === undefined) return [];
    return this.receiveTransaction(queue, maxMessages, lockFor, now);
  }

  /** Removes the message for good. @throws IllegalStateError `message_lock_lost` if the lock expired or the message was settled. */
  async complete(lockToken: string): Promise<void> {
    this.completeTransaction(lockToken, this.now());
  }

  /**
   * Releases the lock: the message is receivable again at once, its delivery count + 1 on the next
   * delivery. At `maxDeliveryCount` deliveries it is dead-lettered (`MaxDeliveryCountExceeded`) instead.
   * @throws IllegalStateError `message_lock_lost` if the lock expired or the message was settled.
   */
  async abandon(lockToken: string): Promise<void> {
    const now = this.now();
    this.settleTransaction(lockToken, now, ({ sequence_number, queue, delivery_count }) => {
      const { maxDeliveryCount } = this.settingsOf(queue);
      if (delivery_count >= maxDeliveryCount) {
        this.statements.deadLetter.run(maxDeliveryCountExceeded, maxDeliveryCountDescription(maxDeliveryCount), now, sequence_number);
      } else {
        this.statements.release.run(now, sequence_number);
      }
    });
  }

  /** Moves the message to the dead-letter state. @throws IllegalStateError `message_lock_lost` if the lock expired or the message was settled. */
  async deadLetter(lockToken: string, { reason, description }: { readonly reason: string; readonly description?: string }): Promise<void> {
    if (typeof reason !== 'string' || reason.length === 0) {
      throw new ValidationError('invalid_dead_letter_reason', 'Dead-lettering a message needs a non-empty reason');
    }
    const now = this.now();
    this.settleTransaction(lockToken, now, ({ sequence_number }) => {
      this.statements.deadLetter.run(reason, description ?? null, now, sequence_number);
    });
  }

  /**
   * Extends the lock by the queue's lock duration from now; resolves to the new expiry.
   * @throws IllegalStateError `message_lock_lost` if the lock expired or the message was settled.
   */
  async renewLock(lockToken: string): Promise<Date> {
    const now = this.now();
    return this.settleTransaction(lockToken, now, ({ sequence_number, queue }) => {
      const lockedUntil = now + this.settingsOf(queue).lockDurationMs;
      this.statements.renew.run(lockedUntil, sequence_number);
      return new Date(lockedUntil);
    });
  }

  /** Active, scheduled and locked messages in sequence order, without locking them. Default limit 100. */
  async peek(queue: string, { limit = 100 }: { readonly limit?: number } = {}): Promise<PeekedMessage[]> {
    assertPositiveInteger('limit', limit);
    const now = this.now();
    return this.withExpiredLocksSettled(queue, now, () =>
      this.statements.selectActive.all(queue, limit).map((row) => ({
        ...toQueueMessage(row),
        state: row.state === 'locked' ? 'locked' : row.visible_at <= now ? 'active' : 'scheduled',
        visibleAt: new Date(row.visible_at),
      })),
    );
  }

  /** How many messages of the queue are in each state, expired locks settled first. */
  async counts(queue: string): Promise<QueueCounts> {
    const now = this.now();
    return this.withExpiredLocksSettled(queue, now, () => this.statements.counts.get(now, now, queue) as QueueCounts);
  }

  /** Dead letters in sequence order, after `afterSequenceNumber` (default 0) for paging. Default limit 100. */
  async listDeadLetters(
    queue: string,
    { limit = 100, afterSequenceNumber = 0 }: { readonly limit?: number; readonly afterSequenceNumber?: number } = {},
  ): Promise<DeadLetteredMessage[]> {
    assertPositiveInteger('limit', limit);
    return this.withExpiredLocksSettled(queue, this.now(), () =>
      this.statements.selectDeadLetters.all(queue, afterSequenceNumber, limit).map(toDeadLetteredMessage),
    );
  }

  /** One dead letter, or undefined if there is none with that sequence number on the queue. */
  async peekDeadLetter(queue: string, sequenceNumber: number): Promise<DeadLetteredMessage | undefined> {
    return this.withExpiredLocksSettled(queue, this.now(), () => {
      const row = this.statements.selectDeadLetter.get(queue, sequenceNumber);
      return row && toDeadLetteredMessage(row);
    });
  }

  /**
   * Puts a dead letter back on its queue as a new message (new sequence number, delivery count 0,
   * receivable now), bypassing duplicate detection. Resolves to its new sequence number.
   * @throws NotFoundError `dead_letter_not_found`.
   */
  async resubmitDeadLetter(queue: string, sequenceNumber: number): Promise<number> {
    assertQueueName(queue);
    return this.resubmitTransaction(queue, sequenceNumber, this.now());
  }

  /** Deletes every dead letter of the queue; resolves to how many there were. */
  async purgeDeadLetters(queue: string): Promise<number> {
    return this.withExpiredLocksSettled(queue, this.now(), () => this.statements.purgeDeadLetters.run(queue).changes);
  }

  /** The effective settings of a queue: the topology's, then this queue's overrides. */
  settingsOf(queue: string): LocalQueueSettings {
    let settings = this.settings.get(queue);
    if (!settings) {
      const topology = queueTopology().find((q) => q.name === queue) ?? defaultQueueSettings;
      settings = {
        maxDeliveryCount: topology.maxDeliveryCount,
        lockDurationMs: isoDurationMs(topology.lockDuration),
        duplicateDetectionWindowMs: isoDurationMs(topology.duplicateDetectionWindow),
        ...this.options.queues?.[queue],
      };
      for (const [name, value] of Object.entries(settings)) assertPositiveInteger(`${queue}.${name}`, value);
      this.settings.set(queue, settings);
    }
    return settings;
  }

  private withExpiredLocksSettled<Result>(queue: string, now: number, read: () => Result): Result {
    assertQueueName(queue);
    return this.expireLocksTransaction(queue, now, read);
  }

  /** Expired locks: at `maxDeliveryCount` the message is dead-lettered, otherwise it is simply unlocked. */
  private expireLocks(queue: string, now: number): void {
    const { maxDeliveryCount } = this.settingsOf(queue);
    this.statements.deadLetterExpiredLocks.run(maxDeliveryCountDescription(maxDeliveryCount), queue, now, maxDeliveryCount);
    this.statements.releaseExpiredLocks.run(queue, now);
  }
}

const maxDeliveryCountDescription = (maxDeliveryCount: number) =>
  `Message could not be consumed after ${maxDeliveryCount} delivery attempts.`;

const lockLost = (lockToken: string) =>
  new IllegalStateError(
    'message_lock_lost',
    `The lock ${lockToken} is not held: it expired (the message is delivered again) or the message was already settled`,
    false,
    { lockToken },
  );

const deadLetterNotFound = (queue: string, sequenceNumber: number) =>
  new NotFoundError('dead_letter_not_found', `Queue ${queue} has no dead letter with sequence number ${sequenceNumber}`, {
    queue,
    sequenceNumber,
  });

function toQueueMessage(row: MessageRow): QueueMessage {
  return {
    queue: row.queue,
    messageId: row.message_id,
    sequenceNumber: row.sequence_number,
    body: JSON.parse(row.body) as Record<string, unknown>,
    ...(row.subject === null ? {} : { subject: row.subject }),
    ...(row.correlation_id === null ? {} : { correlationId: row.correlation_id }),
    properties: row.properties === null ? {} : (JSON.parse(row.properties) as Record<string, string | number | boolean>),
    deliveryCount: row.delivery_count,
    enqueuedAt: new Date(row.enqueued_at),
  };
}

function toDeadLetteredMessage(row: MessageRow): DeadLetteredMessage {
  return {
    ...toQueueMessage(row),
    deadLetterReason: row.dead_letter_reason ?? '',
    ...(row.dead_letter_description === null ? {} : { deadLetterDescription: row.dead_letter_description }),
    deadLetteredAt: new Date(row.dead_lettered_at ?? row.enqueued_at),
  };
}

/** Validates and serialises a message before anything is written. */
function toNewMessageRow(queue: string, message: OutgoingMessage, now: number): NewMessageRow {
  assertQueueName(queue);
  const { messageId, body, subject, correlationId, properties, scheduledEnqueueTime } = message ?? {};
  const invalid = (code: string, reason: string) =>
    new ValidationError(code, `Cannot send to queue ${queue}: ${reason}`, { queue, messageId });
  if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > maxMessageIdLength) {
    throw invalid('invalid_message_id', `the messageId must be 1-${maxMessageIdLength} characters`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('invalid_message_body', `the body of ${messageId} must be a JSON object`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (error) {
    throw invalid('invalid_message_body', `the body of ${messageId} is not JSON-serialisable (${(error as Error).message})`);
  }
  if (typeof json !== 'string') throw invalid('invalid_message_body', `the body of ${messageId} is not JSON-serialisable`);
  for (const [name, value] of [['subject', subject], ['correlationId', correlationId]] as const) {
    if (value !== undefined && typeof value !== 'string') throw invalid('invalid_message', `${name} of ${messageId} must be a string`);
  }
  const propertyValues = Object.values(properties ?? {});
  if (
    (properties !== undefined && (properties === null || typeof properties !== 'object')) ||
    !propertyValues.every((v) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
  ) {
    throw invalid('invalid_message', `properties of ${messageId} must be strings, finite numbers or booleans`);
  }
  if (scheduledEnqueueTime !== undefined && !(scheduledEnqueueTime instanceof Date && Number.isFinite(scheduledEnqueueTime.getTime()))) {
    throw invalid('invalid_message', `scheduledEnqueueTime of ${messageId} must be a valid Date`);
  }
  return {
    queue,
    messageId,
    body: json,
    subject: subject ?? null,
    correlationId: correlationId ?? null,
    properties: propertyValues.length === 0 ? null : JSON.stringify(properties),
    enqueuedAt: now,
    visibleAt: Math.max(now, scheduledEnqueueTime?.getTime() ?? now),
  };
}

function assertQueueName(queue: string): void {
  if (typeof queue !== 'string' || queue.length === 0) throw new ValidationError('invalid_queue', 'A queue name must be a non-empty string');
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError('invalid_queue_option', `${name} must be a positive integer, not ${String(value)}`, { name, value });
  }
}

/** Milliseconds of an ISO-8601 duration of days, hours, minutes and seconds (`PT1M`, `P1DT2H`, `PT0.5S`). */
function isoDurationMs(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!match || duration === 'P' || duration.endsWith('T')) {
    throw new ValidationError('invalid_duration', `Unsupported ISO-8601 duration ${JSON.stringify(duration)}`, { duration });
  }
  const [days = 0, hours = 0, minutes = 0, seconds = 0] = match.slice(1).map((part) => Number(part ?? 0));
  return Math.round((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
}
