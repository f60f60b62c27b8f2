import type { EventStore } from '@commandflow/event-store';
import type { PeekLockQueue } from '@commandflow/messaging';
import { embeddedStoresOptions, type Environment } from '@commandflow/runtime';
import { openEmbeddedStores } from '@commandflow/sqlite';

/** The queues a CLI command works on: the local SQLite queue, or Service Bus. */
export interface QueueTarget {
  readonly name: string;
  readonly queue: PeekLockQueue;
  /** The local event store, when the target is the local file: commands can be looked up there. */
  readonly eventStore?: EventStore;
  close(): Promise<void>;
}

/** The local host's queues: the SQLite file of COMMANDFLOW_DATABASE (or --database). */
export function localQueueTarget(env: Environment): QueueTarget {
  const options = embeddedStoresOptions(env);
  const stores = openEmbeddedStores(options);
  return { name: `local queue (${options.path})`, queue: stores.queue, eventStore: stores.eventStore, close: async () => stores.close() };
}
