import type { EventEnvelope } from '@commandflow/events';
import { projectToCommandList, type CommandListProjection, type SetAsideEvent } from './commandListProjector';

/** Every event of every stream, in batches, in order within each stream: the local feed from position 0, or Cosmos DB's change feed from the beginning. */
export type EventReplay = AsyncIterable<readonly EventEnvelope[]>;

export interface RebuildReport {
  readonly batches: number;
  readonly events: number;
  /** Events folded into a document that lacked them. */
  readonly applied: number;
  /** Documents rebuilt whole from their stream (after a gap). */
  readonly rebuilt: number;
  /** Events the documents already had. */
  readonly duplicates: number;
  readonly setAside: readonly SetAsideEvent[];
}

/**
 * Rebuilds the command list from a replay of the event store, through the projector itself: a
 * missing document is created, a lagging one brought up to its stream, one already up to date left
 * as it is. Safe while the live projector runs: every save is guarded by the etag it read and folds
 * only versions the document lacks, so a replayed (older) event never overwrites a newer projection;
 * a lost race re-reads and applies again.
 */
export async function rebuildCommandList(projection: CommandListProjection, replay: EventReplay): Promise<RebuildReport> {
  const report = { batches: 0, events: 0, applied: 0, rebuilt: 0, duplicates: 0, setAside: [] as SetAsideEvent[] };
  for await (const batch of replay) {
    const projected = await projectToCommandList(projection, batch);
    report.batches++;
    report.events += batch.length;
    report.applied += projected.applied;
    report.rebuilt += projected.rebuilt;
    report.duplicates += projected.duplicates;
    report.setAside.push(...projected.setAside);
  }
  return report;
}
