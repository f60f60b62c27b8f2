import type { DeadLetter, DeadLetters } from '@commandflow/messaging';
import type { RuntimeSettings, Environment } from '@commandflow/runtime';
import { serviceBusSettingsFromEnv } from '@commandflow/service-bus';
import type { DeadLetteredMessage, SqliteQueue } from '@commandflow/sqlite';

/**
 * INTERIM ADAPTER, to be replaced when the SQLite queue and the Service Bus dead-letter admin
 * implement `DeadLetters` themselves: the port over `SqliteQueue`'s dead-letter methods.
 * Until then a resubmitted copy on the local queue keeps the original messageId (the queue's
 * resubmit bypasses duplicate detection), and a deployment on Service Bus has no dead letters here.
 */
export function sqliteQueueDeadLetters(queue: SqliteQueue): DeadLetters {
  return {
    list: async (name, { limit, fromSequenceNumber } = {}) =>
      (
        await queue.listDeadLetters(name, {
          ...(limit === undefined ? {} : { limit }),
          ...(fromSequenceNumber === undefined ? {} : { afterSequenceNumber: fromSequenceNumber - 1 }),
        })
      ).map(toDeadLetter),
    peek: async (name, sequenceNumber) => {
      const message = await queue.peekDeadLetter(name, sequenceNumber);
      return message && toDeadLetter(message);
    },
    resubmit: async (name, sequenceNumber) => {
      const message = await queue.peekDeadLetter(name, sequenceNumber);
      if (!message) return undefined;
      await queue.resubmitDeadLetter(name, sequenceNumber);
      return { deadLetter: toDeadLetter(message), messageId: message.messageId };
    },
    purge: (name) => queue.purgeDeadLetters(name),
  };
}

function toDeadLetter({ deadLetterReason, deadLetterDescription, deadLetteredAt: _at, ...message }: DeadLetteredMessage): DeadLetter {
  return { ...message, reason: deadLetterReason, ...(deadLetterDescription === undefined ? {} : { description: deadLetterDescription }) };
}

/** The dead letters of the embedded default's queues; undefined when the app's queues are on Service Bus (INTERIM, see above). */
export async function composeDeadLetters(env: Environment, settings: RuntimeSettings): Promise<DeadLetters | undefined> {
  if (serviceBusSettingsFromEnv(env)) return undefined;
  const { openEmbeddedStores } = await import('@commandflow/sqlite');
  return sqliteQueueDeadLetters(openEmbeddedStores({ path: settings.databasePath, ...settings }).queue);
}
