import { TransientError, commandStreamId, workflowEventCodec, type EventEnvelope } from '@commandflow/events';
import type { EventStore } from '@commandflow/event-store';
import { applyToCommandListItem, commandListItemFromStream } from '@commandflow/projections';
import type { CommandListStore } from './commandListStore';

export interface CommandListProjection {
  readonly listStore: CommandListStore;
  /** Read to rebuild a document after a gap. */
  readonly eventStore: EventStore;
  /** Attempts per event when another writer keeps winning the save. Default 10. */
  readonly maxSaveAttempts?: number;
}

export interface ProjectionReport {
  readonly applied: number;
  readonly duplicates: number;
  readonly rebuilt: number;
  /** Events of other streams (domain streams), passed over. */
  readonly ignored: number;
}

const commandStreamPrefix = commandStreamId('');

/**
 * Applies a batch of feed events (any streams, in order per stream) to the command-list read
 * model, at least once: duplicates and replays are no-ops, a gap rebuilds the document from the
 * stream, a lost save race re-reads and applies again. Throws (to be retried) rather than skip.
 */
export async function projectToCommandList(projection: CommandListProjection, feed: readonly EventEnvelope[]): Promise<ProjectionReport> {
  const report = { applied: 0, duplicates: 0, rebuilt: 0, ignored: 0 };
  for (const stored of feed) {
    if (!stored.streamId.startsWith(commandStreamPrefix)) {
      report.ignored++;
      continue;
    }
    report[await projectEvent(projection, stored)]++;
  }
  return report;
}

async function projectEvent(
  { listStore, eventStore, maxSaveAttempts = 10 }: CommandListProjection,
  stored: EventEnvelope,
): Promise<'applied' | 'duplicates' | 'rebuilt'> {
  const event = workflowEventCodec.decode(stored);
  for (let attempt = 0; attempt < maxSaveAttempts; attempt++) {
    const current = await listStore.get(event.metadata.commandId);
    const update = applyToCommandListItem(current?.item, event);
    if (update.outcome === 'duplicate') return 'duplicates';
    if (update.outcome === 'applied') {
      if (await listStore.save(update.item, current?.etag)) return 'applied';
      continue;
    }
    const { events } = await eventStore.readStream(event.streamId);
    const rebuilt = commandListItemFromStream(workflowEventCodec.decodeAll(events));
    if (!rebuilt || (current && current.item.version >= rebuilt.version)) return 'duplicates';
    if (await listStore.save(rebuilt, current?.etag)) return 'rebuilt';
  }
  throw new TransientError('read_model_contention', `Could not save the command-list document of ${stored.streamId}`, {
    streamId: stored.streamId,
  });
}
