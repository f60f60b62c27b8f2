/**
 * A child process for concurrentProcesses.int.spec.ts, bundled and forked by the test: it shares
 * the database file with its siblings, as each app of the local host does. Not part of the public API.
 */
import { isConcurrencyError, type NewEvent } from '@commandflow/events';
import { openCommandflowDatabase } from '../src/commandflowDatabase';
import { SqliteEventStore } from '../src/sqliteEventStore';
import { SqliteQueue } from '../src/sqliteQueue';

export interface WorkerConfig {
  readonly path: string;
  readonly worker: number;
  /** `share`: append, send, receive and complete alongside the siblings, then report. `crash`: append and send until killed. */
  readonly mode: 'share' | 'crash';
  readonly queue: string;
  /** Appends go round-robin to these streams. */
  readonly streamIds: readonly string[];
  readonly appends: number;
  readonly sends: number;
  /** Message ids every worker sends: duplicate detection must keep exactly one of each. */
  readonly sharedIds: number;
}

export type WorkerReport =
  | { readonly type: 'ready' }
  | { readonly type: 'acked'; readonly version: number }
  | {
      readonly type: 'done';
      readonly received: readonly { readonly messageId: string; readonly deliveryCount: number }[];
      readonly conflicts: number;
    };

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const report = (message: WorkerReport) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));
const event = (n: number): NewEvent => ({
  eventId: `w${config.worker}-e${n}`,
  type: 'Appended',
  data: { worker: config.worker, n },
  metadata: {
    commandId: `w${config.worker}`,
    correlationId: `w${config.worker}`,
    causationId: `w${config.worker}`,
    actor: `worker-${config.worker}`,
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
  },
});

async function share(store: SqliteEventStore, queue: SqliteQueue): Promise<void> {
  const received: { messageId: string; deliveryCount: number }[] = [];
  let conflicts = 0;
  const receiveAndComplete = async (maxMessages: number) => {
    const batch = await queue.receive(config.queue, { maxMessages });
    for (const message of batch) {
      received.push({ messageId: message.messageId, deliveryCount: message.deliveryCount });
      await queue.complete(message);
    }
    return batch.length;
  };
  for (let n = 0; n < Math.max(config.appends, config.sends); n++) {
    if (n < config.appends) {
      const streamId = config.streamIds[n % config.streamIds.length] as string;
      for (;;) {
        const { version } = await store.readStream(streamId);
        try {
          await store.appendToStream(streamId, [event(n)], { expectedVersion: version });
          break;
        } catch (error) {
          if (!isConcurrencyError(error)) throw error;
          conflicts++;
        }
      }
    }
    if (n < config.sends) await queue.send(config.queue, { messageId: `w${config.worker}-m${n}`, body: { n } });
    if (n < config.sharedIds) await queue.send(config.queue, { messageId: `shared-m${n}`, body: { from: config.worker } });
    await receiveAndComplete(2);
  }
  // Drain: messages locked by a sibling are its to complete; stop once nothing is receivable.
  while ((await receiveAndComplete(5)) > 0 || (await queue.counts(config.queue)).active > 0);
  await report({ type: 'done', received, conflicts });
}

async function crash(store: SqliteEventStore, queue: SqliteQueue): Promise<never> {
  for (let n = 0; ; n++) {
    const version = await store.appendToStream(config.streamIds[0] as string, [event(n)], { expectedVersion: n === 0 ? 'no-stream' : n });
    await queue.send(config.queue, { messageId: `crash-m${n}`, body: { n } });
    process.send?.({ type: 'acked', version } satisfies WorkerReport);
    await new Promise(setImmediate); // lets the IPC channel flush
  }
}

async function main(): Promise<void> {
  const db = openCommandflowDatabase({ path: config.path });
  const store = new SqliteEventStore(db);
  const queue = new SqliteQueue(db);
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    void report({ type: 'ready' });
  });
  if (config.mode === 'crash') await crash(store, queue);
  await share(store, queue);
  db.close();
  process.disconnect?.();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
