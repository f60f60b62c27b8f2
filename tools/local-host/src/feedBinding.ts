import type { CosmosDBChangeFeedFunctionDefinition } from '@commandflow/functions';
import { FeedConsumer, type EventFeed, type FeedCheckpoints } from '@commandflow/sqlite';
import { invoke } from './invocation';
import type { InvocationLog } from './invocationLog';
import { pollLoop } from './pollLoop';

/**
 * How long the feed waits after catching up before it looks again, in ms: events that arrive
 * meanwhile make one batch (as the Cosmos DB change feed's poll delay does, 5 s by default there),
 * so the projector neither competes with each step for the write lock nor writes a document per event.
 */
const feedPollDelayMs = 20;

/**
 * Binds a change-feed function to the SQLite feed: batches in commit order, checkpointed under
 * the function's lease prefix, at least once (a failed batch is handed over again). A full batch
 * is followed by the next at once; otherwise the feed is read again after `feedPollDelayMs`,
 * backing off to 100 ms while nothing comes.
 */
export function bindChangeFeed(
  app: string,
  definition: CosmosDBChangeFeedFunctionDefinition,
  feed: EventFeed,
  checkpoints: FeedCheckpoints,
  log: InvocationLog,
): { stop(): Promise<void> } {
  const batchSize = definition.options.maxItemsPerInvocation ?? 100;
  const consumer = new FeedConsumer({
    name: definition.options.leaseContainerPrefix,
    feed,
    checkpoints,
    batchSize,
    handle: async (events) => {
      await invoke(app, definition.name, log, { triggerMetadata: {} }, async (context) => definition.options.handler([...events] as never[], context));
    },
  });
  return pollLoop(
    async () => (await consumer.poll()) === batchSize,
    () => undefined, // already logged by invoke; the batch is retried after the idle back-off
    100,
    feedPollDelayMs,
  );
}
