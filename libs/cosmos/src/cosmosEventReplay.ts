import { ChangeFeedStartFrom, StatusCodes, type Container } from '@azure/cosmos';
import type { EventEnvelope } from '@commandflow/events';
import { eventFromDocument } from './eventDocument';
import { cosmosRequestError, statusCodeOf } from './cosmosFailure';

/**
 * Every event of the `events` container, read from its change feed from the beginning (events are
 * only ever created, so the feed holds each one), in batches of up to `batchSize` (default 500),
 * in version order within each stream, until the feed says it has nothing newer. The change feed
 * of the whole container: no query, no lease; the live projector's leases are left alone.
 */
export async function* replayCosmosEvents(events: Container, { batchSize = 500 }: { batchSize?: number } = {}): AsyncGenerator<readonly EventEnvelope[]> {
  const feed = events.items.getChangeFeedIterator<Record<string, unknown>>({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning(), maxItemCount: batchSize });
  while (feed.hasMoreResults) {
    let page;
    try {
      page = await feed.readNext();
    } catch (error) {
      throw cosmosRequestError('the change feed of the events container', statusCodeOf(error), error);
    }
    if (page.statusCode === StatusCodes.NotModified || page.result.length === 0) return;
    yield page.result.map(eventFromDocument);
  }
}
