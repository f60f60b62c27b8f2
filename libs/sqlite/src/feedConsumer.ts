import type { EventEnvelope } from '@commandflow/events';

/** An event as the feed hands it out: `position` is global, 1-based, gap-free and in commit order. */
export type FeedEvent = EventEnvelope & Readonly<{ position: number }>;

export interface FeedPage {
  /** Events after the requested position, in commit order. */
  readonly events: readonly FeedEvent[];
  /** The last event's position, or the requested position when there are none: pass it to the next read. */
  readonly lastPosition: number;
}

/** Every event of every stream, in commit order: locally the SQLite event store, on Azure the change feed. */
export interface EventFeed {
  readFeed(afterPosition: number, max: number): Promise<FeedPage>;
}

/** Where each consumer records how far it has handled the feed. Consumers are independent. */
export interface FeedCheckpoints {
  /** The position the consumer has handled up to; 0 if it never saved one. */
  checkpoint(consumerName: string): Promise<number>;
  saveCheckpoint(consumerName: string, position: number): Promise<void>;
}

export interface FeedConsumerOptions {
  /** Names the checkpoint: consumers with different names read the feed independently. */
  readonly name: string;
  readonly feed: EventFeed;
  readonly checkpoints: FeedCheckpoints;
  /** Handles one batch, in commit order. The checkpoint moves past the batch only once this resolves. */
  readonly handle: (events: readonly FeedEvent[]) => Promise<void>;
  /** Most events per batch. Default 100. */
  readonly batchSize?: number;
}

/**
 * Reads the feed after its checkpoint, at least once and in order: a handler that throws (or a
 * process that dies) before the checkpoint is saved gets the same batch again on the next poll.
 * Run one instance per name.
 */
export class FeedConsumer {
  constructor(private readonly options: FeedConsumerOptions) {}

  /** Handles the next batch, if there is one. Resolves to the number of events handled (0 when caught up). */
  async poll(): Promise<number> {
    const { name, feed, checkpoints, handle, batchSize = 100 } = this.options;
    const { events, lastPosition } = await feed.readFeed(await checkpoints.checkpoint(name), batchSize);
    if (events.length === 0) return 0;
    await handle(events);
    await checkpoints.saveCheckpoint(name, lastPosition);
    return events.length;
  }
}

/**
 * The whole feed from `afterPosition` (default 0: the beginning), in batches of at most
 * `batchSize` (default 500), until a read finds nothing more; events appended meanwhile are
 * included. Reads only: no checkpoint is kept.
 */
export async function* replayFeed(feed: EventFeed, { afterPosition = 0, batchSize = 500 }: { afterPosition?: number; batchSize?: number } = {}): AsyncGenerator<readonly FeedEvent[]> {
  for (let position = afterPosition; ; ) {
    const { events, lastPosition } = await feed.readFeed(position, batchSize);
    if (events.length === 0) return;
    yield events;
    position = lastPosition;
  }
}
