import { IllegalStateError, ValidationError } from '@commandflow/events';
import {
  maxDeliveryCountDescription,
  maxDeliveryCountExceeded,
  resubmittedMessageId,
  type DeadLetter,
  type OutgoingMessage,
  type PeekLockQueue,
  type ReceivedMessage,
  type ResubmittedDeadLetter,
} from '@commandflow/messaging';
import { defaultQueueSettings, durationMs, queueTopology } from '@commandflow/topology';
import { randomUUID } from 'node:crypto';
import type { CommandflowDatabase } from './commandflowDatabase';
import { TransactionPerWrite, type WriteScheduler } from './groupCommit';

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
  /** Settings of every queue, over the topology's (tests and the local host use short locks and small counts). */
  readonly settings?: Partial<LocalQueueSettings>;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Makes lock tokens. Default `crypto.randomUUID`. */
  readonly newLockToken?: () => string;
  /** The process that holds the locks this queue takes (see `releaseLocksOf`). Default this process's id. */
  readonly lockOwner?: number;
  /** How writes commit. Default: each operation in its own transaction. */
  readonly writes?: WriteScheduler;
}

/** A message looked at without locking it. */
export interface BrowsedMessage {
  readonly messageId: string;
  readonly sequenceNumber: number;
  readonly body: unknown;
  readonly deliveryCount: number;
  /** `active`: receivable now; `scheduled`: not before `visibleAt`; `locked`: being handled, its lock lasts until `visibleAt`. */
  readonly state: 'active' | 'scheduled' | 'locked';
  readonly visibleAt: Date;
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
 * A durable queue in the shared database file with Service Bus semantics (see PeekLockQueue).
 * Every operation runs atomically under the write lock (its own `BEGIN IMMEDIATE` transaction, or
 * a savepoint of a group commit), so several processes may share a queue: a
 * message is never held by two live locks. Messages are received in the order they became
 * visible, then by sequence number. A stored body or properties that cannot be decoded (a torn
 * write, an older version) never stall the queue: the body is handed over as its text, so the
 * function dead-letters it.
 */
export class SqliteQueue implements PeekLockQueue {
  private readonly sentListeners = new Set<(queue: string, elsewhere: boolean) => void>();
  private readonly now: () => number;
  private readonly newLockToken: () => string;
  private readonly lockOwner: number;
  private readonly settings = new Map<string, LocalQueueSettings>();
  private readonly statements;
  private readonly writes: WriteScheduler;
  private readonly enqueue: (row: NewMessageRow, duplicateWindowMs: number) => boolean;

  constructor(db: CommandflowDatabase, private readonly options: SqliteQueueOptions = {}) {
    this.now = options.now ?? Date.now;
    this.newLockToken = options.newLockToken ?? randomUUID;
    this.lockOwner = options.lockOwner ?? process.pid;
    this.writes = options.writes ?? new TransactionPerWrite(db);
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
      lock: db.prepare<[string, number, number, number], MessageRow>(
        `UPDATE queue_messages SET state = 'locked', lock_token = ?, visible_at = ?, locked_by = ?, delivery_count = delivery_count + 1
         WHERE sequence_number = ? RETURNING *`,
      ),
      // A dead process's locks end now: as if each had expired.
      expireLocksOf: db.prepare<[number, number]>("UPDATE queue_messages SET visible_at = ? WHERE state = 'locked' AND locked_by = ?"),
      queuesLockedBy: db.prepare<[number], string>("SELECT DISTINCT queue FROM queue_messages WHERE state = 'locked' AND locked_by = ?").pluck(),
      selectLocked: db.prepare<[string, number], LockedRow>(
        "SELECT sequence_number, queue, delivery_count FROM queue_messages WHERE lock_token = ? AND state = 'locked' AND visible_at > ?",
      ),
      delete: db.prepare<[number]>('DELETE FROM queue_messages WHERE sequence_number = ?'),
      release: db.prepare<[number, number]>(
        "UPDATE queue_messages SET state = 'active', lock_token = NULL, visible_at = ? WHERE sequence_number = ?",
      ),
      deadLetter: db.prepare<[string, string | null, number, number]>(
        `UPDATE queue_messages SET state = 'dead-lettered', lock_token = NULL, dead_letter_reason = ?, dead_letter_description = ?,
           dead_lettered_at = ? WHERE sequence_number = ?`,
      ),
      selectActive: db.prepare<[string, number], MessageRow>(
        "SELECT * FROM queue_messages WHERE queue = ? AND state IN ('active', 'locked') ORDER BY sequence_number LIMIT ?",
      ),
      selectDeadLetters: db.prepare<[string, number, number], MessageRow>(
        `SELECT * FROM queue_messages WHERE queue = ? AND state = 'dead-lettered' AND sequence_number >= ?
         ORDER BY sequence_number LIMIT ?`,
      ),
      selectDeadLetter: db.prepare<[string, number], MessageRow>(
        "SELECT * FROM queue_messages WHERE queue = ? AND state = 'dead-lettered' AND sequence_number = ?",
      ),
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

    this.enqueue = (row: NewMessageRow, duplicateWindowMs: number): boolean => {
      statements.forgetExpiredIds.run(row.enqueuedAt);
      const accepted = statements.rememberId.run(row.queue, row.messageId, row.enqueuedAt + duplicateWindowMs, row.enqueuedAt).changes > 0;
      if (accepted) statements.insert.run(row);
      return accepted;
    };
  }

  /**
   * Enqueues durably, unless a message with the same messageId was accepted on this queue within
   * the duplicate-detection window: then it is dropped (and this still resolves, as on Service Bus).
   * @throws ValidationError for an empty queue name or messageId, a body that is not a
   * JSON-serialisable object, bad properties or an invalid scheduled time; nothing is written.
   */
  async send(queue: string, message: OutgoingMessage): Promise<void> {
    const row = toNewMessageRow(queue, message, this.now());
    const duplicateWindowMs = this.settingsOf(queue).duplicateDetectionWindowMs;
    await this.writes.write(() => this.enqueue(row, duplicateWindowMs));
    this.announceSent(queue, false);
  }

  /**
   * Calls `listener` with the queue's name after each send has committed, so that receivers can
   * wake at once instead of waiting for their next poll: sends of this process (`elsewhere` false)
   * and those another process reported through `sentElsewhere`. Returns the function that removes
   * the listener.
   */
  onSent(listener: (queue: string, elsewhere: boolean) => void): () => void {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  /** Tells this process's listeners that another process has sent to `queue` (a wake-up relayed between processes). */
  sentElsewhere(queue: string): void {
    this.announceSent(queue, true);
  }

  /**
   * Locks and returns up to `maxMessages` (default 1) receivable messages for the queue's lock
   * duration, adding 1 to their delivery count. Resolves to an empty array when there are none; it
   * does not wait.
   */
  async receive(queue: string, { maxMessages = 1 }: { readonly maxMessages?: number } = {}): Promise<ReceivedMessage[]> {
    assertQueueName(queue);
    assertPositiveInteger('maxMessages', maxMessages);
    const now = this.now();
    // A read outside any transaction: an empty queue (nothing due, no lock expired) costs no write lock.
    if (this.statements.anythingDue.get(queue, now) === undefined) return [];
    const { lockDurationMs } = this.settingsOf(queue);
    const received = await this.writes.write(() => {
      this.expireLocks(queue, now);
      const locked: MessageRow[] = [];
      while (locked.length < maxMessages) {
        const sequenceNumber = this.statements.selectNextReceivable.get(queue, now);
        if (sequenceNumber === undefined) break;
        locked.push(this.statements.lock.get(this.newLockToken(), now + lockDurationMs, this.lockOwner, sequenceNumber) as MessageRow);
      }
      return locked;
    });
    return received.map(toReceivedMessage);
  }

  async complete({ lockToken }: ReceivedMessage): Promise<void> {
    await this.settle(lockToken, this.now(), ({ sequence_number }) => this.statements.delete.run(sequence_number));
  }

  /** Releases the lock now; at `maxDeliveryCount` deliveries the message is dead-lettered (`MaxDeliveryCountExceeded`) instead. */
  async abandon({ lockToken }: ReceivedMessage): Promise<void> {
    const now = this.now();
    await this.settle(lockToken, now, ({ sequence_number, queue, delivery_count }) => {
      const { maxDeliveryCount } = this.settingsOf(queue);
      if (delivery_count >= maxDeliveryCount) {
        this.statements.deadLetter.run(maxDeliveryCountExceeded, maxDeliveryCountDescription(maxDeliveryCount), now, sequence_number);
      } else {
        this.statements.release.run(now, sequence_number);
      }
    });
  }

  async deadLetter({ lockToken }: ReceivedMessage, { reason, description }: { readonly reason: string; readonly description?: string }): Promise<void> {
    if (typeof reason !== 'string' || reason.length === 0) {
      throw new ValidationError('invalid_dead_letter_reason', 'Dead-lettering a message needs a non-empty reason');
    }
    const now = this.now();
    await this.settle(lockToken, now, ({ sequence_number }) => {
      this.statements.deadLetter.run(reason, description ?? null, now, sequence_number);
    });
  }

  async list(queue: string, { limit = 100, fromSequenceNumber = 0 }: { readonly limit?: number; readonly fromSequenceNumber?: number } = {}): Promise<DeadLetter[]> {
    assertPositiveInteger('limit', limit);
    return this.withExpiredLocksSettled(queue, this.now(), () =>
      this.statements.selectDeadLetters.all(queue, fromSequenceNumber, limit).map(toDeadLetter),
    );
  }

  async peek(queue: string, sequenceNumber: number): Promise<DeadLetter | undefined> {
    return this.withExpiredLocksSettled(queue, this.now(), () => {
      const row = this.statements.selectDeadLetter.get(queue, sequenceNumber);
      return row && toDeadLetter(row);
    });
  }

  async resubmit(queue: string, sequenceNumber: number): Promise<ResubmittedDeadLetter | undefined> {
    assertQueueName(queue);
    const now = this.now();
    const { duplicateDetectionWindowMs } = this.settingsOf(queue);
    const resubmitted = await this.writes.write((): ResubmittedDeadLetter | undefined => {
      const row = this.statements.selectDeadLetter.get(queue, sequenceNumber);
      if (!row) return undefined;
      const deadLetter = toDeadLetter(row);
      const messageId = resubmittedMessageId(row.message_id, sequenceNumber);
      const { body, subject, correlation_id, properties } = row;
      this.enqueue({ queue, messageId, body, subject, correlationId: correlation_id, properties, enqueuedAt: now, visibleAt: now }, duplicateDetectionWindowMs);
      this.statements.delete.run(sequenceNumber);
      return { deadLetter, messageId };
    });
    if (resubmitted) this.announceSent(queue, false);
    return resubmitted;
  }

  async purge(queue: string): Promise<number> {
    return this.withExpiredLocksSettled(queue, this.now(), () => this.statements.purgeDeadLetters.run(queue).changes);
  }

  /**
   * Ends every lock `owner` (a process id) holds, as if each had expired: the messages are
   * receivable again at once (their delivery counted), or dead-lettered after maxDeliveryCount. For
   * a supervisor whose child process died: its messages need not wait out their locks. Resolves to
   * how many locks were released.
   */
  async releaseLocksOf(owner: number): Promise<number> {
    const now = this.now();
    const released = await this.writes.write(() => {
      const queues = this.statements.queuesLockedBy.all(owner);
      const count = this.statements.expireLocksOf.run(now, owner).changes;
      for (const queue of queues) this.expireLocks(queue, now);
      return count;
    });
    return released;
  }

  /** Active, scheduled and locked messages in sequence order, without locking them. Default limit 100. */
  async browse(queue: string, { limit = 100 }: { readonly limit?: number } = {}): Promise<BrowsedMessage[]> {
    assertPositiveInteger('limit', limit);
    const now = this.now();
    return this.withExpiredLocksSettled(queue, now, () =>
      this.statements.selectActive.all(queue, limit).map((row) => ({
        messageId: row.message_id,
        sequenceNumber: row.sequence_number,
        body: decodedJson(row.body),
        deliveryCount: row.delivery_count,
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

  /** The effective settings of a queue: the topology's, then this queue's overrides. */
  settingsOf(queue: string): LocalQueueSettings {
    let settings = this.settings.get(queue);
    if (!settings) {
      const topology = queueTopology().find((q) => q.name === queue) ?? defaultQueueSettings;
      settings = {
        maxDeliveryCount: topology.maxDeliveryCount,
        lockDurationMs: durationMs(topology.lockDuration),
        duplicateDetectionWindowMs: durationMs(topology.duplicateDetectionWindow),
        ...this.options.settings,
      };
      for (const [name, value] of Object.entries(settings)) assertPositiveInteger(`${queue}.${name}`, value);
      this.settings.set(queue, settings);
    }
    return settings;
  }

  private withExpiredLocksSettled<Result>(queue: string, now: number, read: () => Result): Promise<Result> {
    assertQueueName(queue);
    return this.writes.write(() => {
      this.expireLocks(queue, now);
      return read();
    });
  }

  /** Runs `settle` on the message the lock token holds, under the write lock; a lock no longer held throws `message_lock_lost`. */
  private settle(lockToken: string, now: number, settle: (row: LockedRow) => void): Promise<void> {
    return this.writes.write(() => {
      const row = this.statements.selectLocked.get(lockToken, now);
      if (!row) throw lockLost(lockToken);
      settle(row);
    });
  }

  private announceSent(queue: string, elsewhere: boolean): void {
    for (const listener of this.sentListeners) listener(queue, elsewhere);
  }

  /** Expired locks: at `maxDeliveryCount` the message is dead-lettered, otherwise it is simply unlocked. */
  private expireLocks(queue: string, now: number): void {
    const { maxDeliveryCount } = this.settingsOf(queue);
    this.statements.deadLetterExpiredLocks.run(maxDeliveryCountDescription(maxDeliveryCount), queue, now, maxDeliveryCount);
    this.statements.releaseExpiredLocks.run(queue, now);
  }
}

const lockLost = (lockToken: string) =>
  new IllegalStateError(
    'message_lock_lost',
    `The lock ${lockToken} is not held: it expired (the message is delivered again) or the message was already settled`,
    false,
    { lockToken },
  );

/** Stored JSON decoded, or its text when it is not JSON: a row that cannot be read is still handed over, never stuck. */
function decodedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Application properties as stored; anything but an object of scalars reads as none. */
function decodedProperties(text: string | null): Record<string, string | number | boolean> {
  const properties = text === null ? {} : decodedJson(text);
  return typeof properties === 'object' && properties !== null && !Array.isArray(properties)
    ? (properties as Record<string, string | number | boolean>)
    : {};
}

function messageFields(row: MessageRow) {
  return {
    queue: row.queue,
    messageId: row.message_id,
    sequenceNumber: row.sequence_number,
    body: decodedJson(row.body),
    ...(row.subject === null ? {} : { subject: row.subject }),
    ...(row.correlation_id === null ? {} : { correlationId: row.correlation_id }),
    properties: decodedProperties(row.properties),
    deliveryCount: row.delivery_count,
    enqueuedAt: new Date(row.enqueued_at),
  };
}

const toReceivedMessage = (row: MessageRow): ReceivedMessage => ({
  ...messageFields(row),
  lockToken: row.lock_token as string,
  lockedUntil: new Date(row.visible_at),
});

const toDeadLetter = (row: MessageRow): DeadLetter => ({
  ...messageFields(row),
  reason: row.dead_letter_reason ?? '',
  ...(row.dead_letter_description === null ? {} : { description: row.dead_letter_description }),
});

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
