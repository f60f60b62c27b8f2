import type { WorkflowEvent } from '@commandflow/events';
import { foldCommandState, initialCommandState, type CommandDetailsState, type CommandState } from './commandState';

/**
 * What the sweeper did about a command that stopped moving, kept on its read-model document (the
 * stream stays the workflow's only state; this is operations' own record). A command that moves
 * on past `version` starts a fresh record.
 */
export interface SweepRecord {
  /** The stream version the command was stuck at. */
  readonly version: number;
  /** Nudges (re-sent step messages) at that version. */
  readonly nudges: number;
  /** When the last nudge was sent (ISO-8601). */
  readonly lastNudgedAt?: string;
  /** When the sweeper gave up on the command at that version (ISO-8601): it is not nudged again. */
  readonly gaveUpAt?: string;
}

/**
 * The read-model document of the command list: one per command, keyed by its id. `updatedAt` is
 * when its last event occurred; `sweep` is present once the sweeper has nudged the command.
 */
export type CommandListItem = CommandDetailsState & Readonly<{ id: string; updatedAt: string; sweep?: SweepRecord }>;

/** What applying one event did to a read-model document. */
export type CommandListUpdate =
  | Readonly<{ outcome: 'applied'; item: CommandListItem }>
  /** The event's version is already folded in: a redelivery. Nothing to write. */
  | Readonly<{ outcome: 'duplicate' }>
  /** Events are missing between the document and this one: rebuild the document from the stream. */
  | Readonly<{ outcome: 'gap'; expectedVersion: number; actualVersion: number }>;

/** What applying a run of one stream's events did to its document. */
export interface CommandListBatchUpdate {
  /** The document after the events before the gap (unchanged when none applied). */
  readonly item: CommandListItem | undefined;
  readonly applied: number;
  /** Events at versions already folded in: redeliveries. */
  readonly duplicates: number;
  /** Index in `events` of the first event that does not follow on: the caller rebuilds from the stream. */
  readonly gapAt?: number;
}

/**
 * Applies one stream's events, in order, at least once: already-seen versions are skipped, the
 * events that follow on are folded in (in time linear in their number), and the first gap is
 * reported, never papered over.
 */
export function applyEventsToCommandListItem(item: CommandListItem | undefined, events: readonly WorkflowEvent[]): CommandListBatchUpdate {
  let version = item?.version ?? 0;
  let duplicates = 0;
  let gapAt: number | undefined;
  const run: WorkflowEvent[] = [];
  for (const [index, event] of events.entries()) {
    if (event.version <= version) {
      duplicates++;
    } else if (event.version === version + 1 && (version > 0 || event.type === 'CommandCreated')) {
      run.push(event);
      version = event.version;
    } else {
      gapAt = index;
      break;
    }
  }
  const last = run.at(-1);
  if (last === undefined) return { item, applied: 0, duplicates, ...(gapAt === undefined ? {} : { gapAt }) };
  const { id: _id, updatedAt: _updatedAt, ...state } = item ?? { ...initialCommandState, id: '', updatedAt: '' };
  const next = foldCommandState(state as CommandState, run) as CommandDetailsState;
  return {
    item: { ...next, id: next.commandId, updatedAt: last.metadata.occurredAt },
    applied: run.length,
    duplicates,
    ...(gapAt === undefined ? {} : { gapAt }),
  };
}

/** Applies one workflow event to the document: `applyEventsToCommandListItem` for a single event. */
export function applyToCommandListItem(item: CommandListItem | undefined, event: WorkflowEvent): CommandListUpdate {
  const update = applyEventsToCommandListItem(item, [event]);
  if (update.gapAt !== undefined) return { outcome: 'gap', expectedVersion: (item?.version ?? 0) + 1, actualVersion: event.version };
  return update.item && update.applied > 0 ? { outcome: 'applied', item: update.item } : { outcome: 'duplicate' };
}

/**
 * Rebuilds the document from a stream's events in version order (after a gap); undefined when
 * none creates the command. Events the caller set aside as unreadable are simply absent.
 */
export function commandListItemFromStream(events: readonly WorkflowEvent[]): CommandListItem | undefined {
  const state = foldCommandState(initialCommandState, events);
  const last = events.at(-1);
  if (state.status === 'Empty' || last === undefined) return undefined;
  return { ...state, id: state.commandId, updatedAt: last.metadata.occurredAt };
}

/** A document rebuilt from its stream, keeping the sweeper's record of the document it replaces. */
export const keepingSweepRecord = (rebuilt: CommandListItem, replaced: CommandListItem | undefined): CommandListItem =>
  replaced?.sweep === undefined ? rebuilt : { ...rebuilt, sweep: replaced.sweep };
