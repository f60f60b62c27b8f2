import { TransientError, commandStreamId, workflowEventCodec, type EventEnvelope, type WorkflowEvent } from '@commandflow/events';
import type { EventStore } from '@commandflow/event-store';
import { applyEventsToCommandListItem, commandListItemFromStream, keepingSweepRecord } from '@commandflow/projections';
import type { CommandListStore } from './commandListStore';

export interface CommandListProjection {
  readonly listStore: CommandListStore;
  /** Read to rebuild a document after a gap. */
  readonly eventStore: EventStore;
  /** Attempts per event when another writer keeps winning the save. Default 10. */
  readonly maxSaveAttempts?: number;
}

/** A feed item that could not be decoded: left out of the read model and reported, never retried forever. */
export interface SetAsideEvent {
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly reason: string;
}

export interface ProjectionReport {
  readonly applied: number;
  readonly duplicates: number;
  readonly rebuilt: number;
  /** Events of other streams (domain streams), passed over. */
  readonly ignored: number;
  /** Events that could not be decoded; the events behind them were projected all the same. */
  readonly setAside: readonly SetAsideEvent[];
}

const commandStreamPrefix = commandStreamId('');

/**
 * Applies a batch of feed events (any streams, in order per stream) to the command-list read
 * model, at least once: duplicates and replays are no-ops, a gap rebuilds the document from the
 * stream, a lost save race re-reads and applies again. A stream's events in the batch are folded
 * into its document in memory and saved once. An event that cannot be decoded is set aside and
 * reported, and never blocks the events behind it. Throws (to be retried) only when the store fails.
 */
export async function projectToCommandList(projection: CommandListProjection, feed: readonly EventEnvelope[]): Promise<ProjectionReport> {
  const report = { applied: 0, duplicates: 0, rebuilt: 0, ignored: 0, setAside: [] as SetAsideEvent[] };
  const byStream = new Map<string, EventEnvelope[]>();
  for (const stored of feed) {
    if (!String(stored?.streamId).startsWith(commandStreamPrefix)) report.ignored++;
    else {
      const events = byStream.get(stored.streamId);
      if (events) events.push(stored);
      else byStream.set(stored.streamId, [stored]);
    }
  }
  for (const [streamId, stored] of byStream) {
    const events = decodeSettingAside(stored, report.setAside);
    if (events.length === 0) continue;
    const counts = await projectStream(projection, streamId, events, report.setAside);
    report.applied += counts.applied;
    report.duplicates += counts.duplicates;
    report.rebuilt += counts.rebuilt;
  }
  return report;
}

/** The events that decode; the others are added to `setAside` (once each). */
function decodeSettingAside(stored: readonly EventEnvelope[], setAside: SetAsideEvent[]): WorkflowEvent[] {
  const events: WorkflowEvent[] = [];
  for (const envelope of stored) {
    try {
      events.push(workflowEventCodec.decode(envelope));
    } catch (error) {
      const known = setAside.some((e) => e.streamId === envelope.streamId && e.version === envelope.version);
      if (!known) {
        const reason = error instanceof Error ? error.message : String(error);
        setAside.push({ streamId: String(envelope?.streamId), version: Number(envelope?.version), type: String(envelope?.type), reason });
      }
    }
  }
  return events;
}

async function projectStream(
  { listStore, eventStore, maxSaveAttempts = 10 }: CommandListProjection,
  streamId: string,
  events: readonly WorkflowEvent[],
  setAside: SetAsideEvent[],
): Promise<Omit<ProjectionReport, 'ignored' | 'setAside'>> {
  const commandId = events[0]?.metadata.commandId ?? '';
  for (let attempt = 0; attempt < maxSaveAttempts; attempt++) {
    const current = await listStore.get(commandId);
    const counts = { applied: 0, duplicates: 0, rebuilt: 0 };
    let item = current?.item;
    let rest = events;
    while (rest.length > 0) {
      const update = applyEventsToCommandListItem(item, rest);
      item = update.item;
      counts.applied += update.applied;
      counts.duplicates += update.duplicates;
      if (update.gapAt === undefined) break;
      const rebuilt = commandListItemFromStream(decodeSettingAside((await eventStore.readStream(streamId)).events, setAside));
      if (rebuilt && rebuilt.version > (item?.version ?? 0)) {
        item = keepingSweepRecord(rebuilt, item);
        counts.rebuilt++;
      } else {
        counts.duplicates++;
      }
      rest = rest.slice(update.gapAt + 1);
    }
    if (item === undefined || item === current?.item) return counts;
    if (await listStore.save(item, current?.etag)) return counts;
  }
  throw new TransientError('read_model_contention', `Could not save the command-list document of ${streamId}`, { streamId });
}
