import type { CosmosDBChangeFeedFunctionDefinition } from '@commandflow/functions';
import { FeedConsumer, type EventFeed, type FeedCheckpoints } from '@commandflow/sqlite';
import { invoke } from './invocation';
import type { InvocationLog } from './invocationLog';
import { pollLoop } from './pollLoop';

/**
 * Binds a change-feed function to the SQLite feed: batches in commit order, checkpointed under
 * the function's lease prefix, at least once (a failed batch is handed over again).
 */
export function bindChangeFeed(
  app: string,
  definition: CosmosDBChangeFeedFunctionDefinition,
  feed: EventFeed,
  checkpoints: FeedCheckpoints,
  log: InvocationLog,
): { stop(): Promise<void> } {
  const consumer = new FeedConsumer({
    name: definition.options.leaseContainerPrefix,
    feed,
    checkpoints,
    batchSize: definition.options.maxItemsPerInvocation ?? 100,
    handle: async (events) => {
      await invoke(app, definition.name, log, { triggerMetadata: {} }, async (context) => definition.options.handler([...events] as never[], context));
    },
  });
  return pollLoop(
    async () => (await consumer.poll()) > 0,
    () => undefined, // already logged by invoke; the batch is retried after the idle back-off
    100,
  );
}
