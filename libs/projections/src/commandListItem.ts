import type { WorkflowEvent } from '@commandflow/events';
import { evolveCommandState, initialCommandState, type CommandDetailsState, type CommandState } from './commandState';

/** The read-model document of the command list: one per command, keyed by its id. */
export type CommandListItem = CommandDetailsState & Readonly<{ id: string; updatedAt: string }>;

/** What applying one event did to a read-model document. */
export type CommandListUpdate =
  | Readonly<{ outcome: 'applied'; item: CommandListItem }>
  /** The event's version is already folded in: a redelivery. Nothing to write. */
  | Readonly<{ outcome: 'duplicate' }>
  /** Events are missing between the document and this one: rebuild the document from the stream. */
  | Readonly<{ outcome: 'gap'; expectedVersion: number; actualVersion: number }>;

/**
 * Applies one workflow event to the document, at least once: duplicates and already-seen
 * versions are no-ops; a gap is reported, never papered over.
 */
export function applyToCommandListItem(item: CommandListItem | undefined, event: WorkflowEvent): CommandListUpdate {
  const currentVersion = item?.version ?? 0;
  if (event.version <= currentVersion) return { outcome: 'duplicate' };
  if (event.version !== currentVersion + 1) {
    return { outcome: 'gap', expectedVersion: currentVersion + 1, actualVersion: event.version };
  }
  const { id: _id, updatedAt: _updatedAt, ...state } = item ?? { ...initialCommandState, id: '', updatedAt: '' };
  const next = evolveCommandState(state as CommandState, event);
  if (next.status === 'Empty') {
    return { outcome: 'gap', expectedVersion: currentVersion + 1, actualVersion: event.version };
  }
  return { outcome: 'applied', item: { ...next, id: next.commandId, updatedAt: event.metadata.occurredAt } };
}

/** Rebuilds the document from the whole stream (after a gap); undefined for an empty stream. */
export function commandListItemFromStream(events: readonly WorkflowEvent[]): CommandListItem | undefined {
  let item: CommandListItem | undefined;
  for (const event of events) {
    const update = applyToCommandListItem(item, event);
    if (update.outcome === 'applied') item = update.item;
  }
  return item;
}
