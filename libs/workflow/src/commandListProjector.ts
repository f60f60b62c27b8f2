import { TransientError, commandStreamId, workflowEventCodec, type EventEnvelope, type WorkflowEvent } from '@commandflow/events';
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
 * stream, a lost save race re-reads and applies again. A stream's events in the batch are folded
 * into its document in memory and saved once. Throws (to be retried) rather than skip.
 */
export async function projectToCommandList(projection: CommandListProjection, feed: readonly EventEnvelope[]): Promise<ProjectionReport> {
  const report = { applied: 0, duplicates: 0, rebuilt: 0, ignored: 0 };
  const byStream = new Map<string, EventEnvelope[]>();
  for (const stored of feed) {
    if (!stored.streamId.startsWith(commandStreamPrefix)) report.ignored++;
    else byStream.set(stored.streamId, [...(byStream.get(stored.streamId) ?? []), stored]);
  }
  for (const [streamId, stored] of byStream) {
    const counts = await projectStream(projection, streamId, workflowEventCodec.decodeAll(stored));
    report.applied += counts.applied;
    report.duplicates += counts.duplicates;
    report.rebuilt += counts.rebuilt;
  }
  return report;
}

async function projectStream(
  { listStore, eventStore, maxSaveAttempts = 10 }: CommandListProjection,
  streamId: string,
  events: readonly WorkflowEvent[],
): Promise<Omit<ProjectionReport, 'ignored'>> {
  const commandId = events[0]?.metadata.commandId ?? '';
  for (let attempt = 0; attempt < maxSaveAttempts; attempt++) {
    const current = await listStore.get(commandId);
    const counts = { applied: 0, duplicates: 0, rebuilt: 0 };
    let item = current?.item;
    for (const event of events) {
      const update = applyToCommandListItem(item, event);
      if (update.outcome === 'applied') {
        item = update.item;
        counts.applied++;
        continue;
      }
      if (update.outcome === 'gap') {
        const rebuilt = commandListItemFromStream(workflowEventCodec.decodeAll((await eventStore.readStream(streamId)).events));
        if (rebuilt && rebuilt.version > (item?.version ?? 0)) {
          item = rebuilt;
          counts.rebuilt++;
          continue;
        }
      }
      counts.duplicates++;
    }
    if (item === undefined || item === current?.item) return counts;
    if (await listStore.save(item, current?.etag)) return counts;
  }
  throw new TransientError('read_model_contention', `Could not save the command-list document of ${streamId}`, { streamId });
}
