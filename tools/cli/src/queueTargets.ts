import { SqliteQueue, openEmbeddedStores, type DeadLetteredMessage, type EmbeddedStores } from '@commandflow/sqlite';
import type { OutgoingMessage } from '@commandflow/messaging';
import { runtimeSettingsFromEnv, type Environment } from '@commandflow/runtime';

/** A dead-lettered message as the CLI shows it, wherever it lives. */
export interface DeadLetterView {
  readonly sequenceNumber: number;
  readonly messageId: string;
  readonly body: unknown;
  readonly deliveryCount: number;
  readonly reason?: string;
  readonly description?: string;
  readonly enqueuedAt?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** The queues a CLI command works on: the local SQLite queue, or Service Bus. */
export interface QueueTarget {
  readonly name: string;
  send(queue: string, message: OutgoingMessage): Promise<void>;
  listDeadLetters(queue: string, limit: number): Promise<DeadLetterView[]>;
  showDeadLetter(queue: string, sequenceNumber: number): Promise<DeadLetterView | undefined>;
  /** Puts a dead letter back on its queue; resolves to where it went (its new sequence number or message id). */
  resubmitDeadLetter(queue: string, sequenceNumber: number): Promise<string>;
  purgeDeadLetters(queue: string): Promise<number>;
  close(): Promise<void>;
}

const fromLocal = (letter: DeadLetteredMessage): DeadLetterView => ({
  sequenceNumber: letter.sequenceNumber,
  messageId: letter.messageId,
  body: letter.body,
  deliveryCount: letter.deliveryCount,
  reason: letter.deadLetterReason,
  ...(letter.deadLetterDescription === undefined ? {} : { description: letter.deadLetterDescription }),
  enqueuedAt: letter.enqueuedAt.toISOString(),
  properties: letter.properties,
});

/** The local host's queues: the SQLite file of COMMANDFLOW_DATABASE (or --database). */
export function localQueueTarget(env: Environment): QueueTarget & { readonly stores: EmbeddedStores } {
  const settings = runtimeSettingsFromEnv(env);
  const stores = openEmbeddedStores({ path: settings.databasePath, ...settings });
  const queue: SqliteQueue = stores.queue;
  return {
    name: `local queue (${settings.databasePath})`,
    stores,
    send: (name, message) => queue.send(name, message),
    listDeadLetters: async (name, limit) => (await queue.listDeadLetters(name, { limit })).map(fromLocal),
    showDeadLetter: async (name, sequenceNumber) => {
      const letter = await queue.peekDeadLetter(name, sequenceNumber);
      return letter && fromLocal(letter);
    },
    resubmitDeadLetter: async (name, sequenceNumber) => `sequence number ${await queue.resubmitDeadLetter(name, sequenceNumber)}`,
    purgeDeadLetters: (name) => queue.purgeDeadLetters(name),
    close: async () => stores.close(),
  };
}
