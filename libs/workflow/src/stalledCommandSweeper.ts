import { commandStreamId, workflowEventCodec } from '@commandflow/events';
import { commandListItemFromStream, keepingSweepRecord, type CommandListItem, type SweepRecord } from '@commandflow/projections';
import { queueNames, stepMessageId, type QueueName } from '@commandflow/topology';
import type { CommandListStore } from './commandListStore';
import { stepMessage } from './stepRunner';
import type { WorkflowDependencies } from './workflowDependencies';

/** How the sweeper decides that a command has stalled, and how hard it tries. */
export interface SweepSettings {
  /** A command whose last event is older than this has stalled, in ms. Default 10 minutes. */
  readonly stallAfterMs: number;
  /** Documents changed within this long before a sweep are compared with their streams, in ms. Default 2 minutes. */
  readonly reconcileWindowMs: number;
  /** Nudges at one stream version before the sweeper gives up on a command. Default 3. */
  readonly maxNudges: number;
  /** Page size of a sweep's queries (1..100), and the most stalled commands one sweep nudges. Default 100. */
  readonly maxCommandsPerQuery: number;
}

export const defaultSweepSettings: SweepSettings = { stallAfterMs: 10 * 60_000, reconcileWindowMs: 2 * 60_000, maxNudges: 3, maxCommandsPerQuery: 100 };

/** What a sweep runs on: the workflow's store, sender and clock, and the command-list read model. */
export interface SweepDependencies {
  readonly workflow: Pick<WorkflowDependencies, 'eventStore' | 'sender' | 'now'>;
  readonly listStore: CommandListStore;
}

/** A step message re-sent, with a new id, to a command that had stopped moving. */
export interface Nudge {
  readonly commandId: string;
  readonly status: string;
  readonly queue: QueueName;
  readonly messageId: string;
  /** Which nudge this was at the command's version (1..maxNudges). */
  readonly nudge: number;
}

/** A command the sweeper stopped nudging: it needs a person (its dead letters, its handler). */
export interface Abandonment {
  readonly commandId: string;
  readonly status: string;
  readonly nudges: number;
}

/** A read-model document that differed from its stream and was re-folded from it. */
export interface Repair {
  readonly commandId: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly status: string;
}

export interface SweepReport {
  /** When the sweep ran (ISO-8601). */
  readonly at: string;
  /** Commands whose last event is before this instant count as stalled (ISO-8601). */
  readonly stalledBefore: string;
  /** Documents compared with their streams. */
  readonly checked: number;
  readonly repaired: readonly Repair[];
  readonly nudged: readonly Nudge[];
  /** Commands given up on in this sweep. */
  readonly gaveUp: readonly Abandonment[];
}

/** A stalled command as the read model shows it, with what the sweeper did about it. */
export interface StalledCommand {
  readonly commandId: string;
  readonly commandType: string;
  readonly status: string;
  readonly version: number;
  readonly createdAt: string;
  /** When its last event occurred (ISO-8601). */
  readonly updatedAt: string;
  /** Nudges at this version. */
  readonly nudges: number;
  readonly lastNudgedAt?: string;
  /** Present once the sweeper gave up on it. */
  readonly gaveUpAt?: string;
}

/** The step that still has work on a command in each unfinished status, and so the queue of its message. */
const pendingQueueOf: Readonly<Record<string, QueueName>> = { Created: queueNames.validate, Validated: queueNames.execute };

/** The id of a nudge: new for every nudge, so duplicate detection (`<commandId>:<queue>`) cannot swallow it. */
export const nudgeMessageId = (commandId: string, queue: QueueName, version: number, nudge: number): string =>
  `${stepMessageId(commandId, queue)}:sweep-${version}-${nudge}`;

/** Attempts to write the sweep record or a repair when another writer keeps winning the save. */
const maxSaveAttempts = 5;

/**
 * One sweep. First it compares the documents changed in the last `reconcileWindowMs`, and the
 * unfinished ones whose last change is older than `stallAfterMs` (two queries of the read model,
 * each served by an index; the second reads further pages only while the commands on the first are
 * all waiting), with their streams, the truth, and re-folds any document that differs.
 * Then each command that the stream says is still unfinished and has not moved for `stallAfterMs`
 * is nudged: the message of the step that has work on it is sent again with a new message id (the
 * steps are idempotent). Each nudge is recorded on the document first, so a command gets at most
 * `maxNudges` per version; after that the sweeper gives up on it and reports it. A command that is
 * terminal is never sent anything, and its document is written only if it lags its stream.
 */
export async function sweepStalledCommands(deps: SweepDependencies, settings: SweepSettings = defaultSweepSettings): Promise<SweepReport> {
  const now = deps.workflow.now();
  const at = now.toISOString();
  const stalledBefore = new Date(now.getTime() - settings.stallAfterMs).toISOString();
  const recentFrom = new Date(now.getTime() - settings.reconcileWindowMs).toISOString();
  const [recent, stalled] = await Promise.all([
    deps.listStore.listByLastChange({ changedFrom: recentFrom, changedBefore: at, limit: settings.maxCommandsPerQuery }),
    stalledToSweep(deps.listStore, stalledBefore, settings.maxCommandsPerQuery),
  ]);
  const documents = new Map<string, CommandListItem>([...recent.items, ...stalled].map((item) => [item.commandId, item]));
  const report = { at, stalledBefore, checked: documents.size, repaired: [] as Repair[], nudged: [] as Nudge[], gaveUp: [] as Abandonment[] };
  for (const document of documents.values()) {
    const truth = await reconcile(deps, document, report.repaired);
    if (truth !== undefined && pendingQueueOf[truth.status] !== undefined && truth.updatedAt < stalledBefore) {
      await nudgeOrGiveUp(deps, settings, truth, stalledBefore, report);
    }
  }
  return report;
}

/** Most pages of stalled documents a sweep reads when the first ones are all waiting (given up on, or nudged lately). */
const maxStalledPages = 10;

/**
 * Up to `limit` stalled documents the sweep has something to do for, oldest first: those it gave up
 * on, or nudged less than the threshold ago, are passed over without reading their streams, and
 * further pages are read (up to `maxStalledPages`) so that they never hide the others.
 */
async function stalledToSweep(listStore: CommandListStore, stalledBefore: string, limit: number): Promise<CommandListItem[]> {
  const due: CommandListItem[] = [];
  let continuation: string | undefined;
  for (let pages = 0; pages < maxStalledPages && due.length < limit; pages++) {
    const page = await listStore.listByLastChange({ unfinished: true, changedBefore: stalledBefore, limit, continuation });
    due.push(...page.items.filter((item) => !isWaiting(item, stalledBefore)));
    continuation = page.continuation;
    if (continuation === undefined) break;
  }
  return due.slice(0, limit);
}

/** Given up on at its version, or nudged since `stalledBefore`: that nudge still has time to work. */
function isWaiting(item: CommandListItem, stalledBefore: string): boolean {
  const sweep = currentSweep(item);
  return sweep?.gaveUpAt !== undefined || (sweep?.lastNudgedAt !== undefined && sweep.lastNudgedAt >= stalledBefore);
}

/** The unfinished commands whose last event is older than `stallAfterMs`, oldest first, as the read model has them. */
export async function listStalledCommands(
  deps: SweepDependencies,
  settings: Pick<SweepSettings, 'stallAfterMs'>,
  limit: number,
): Promise<readonly StalledCommand[]> {
  const stalledBefore = new Date(deps.workflow.now().getTime() - settings.stallAfterMs).toISOString();
  const { items } = await deps.listStore.listByLastChange({ unfinished: true, changedBefore: stalledBefore, limit });
  return items.map(stalledCommandOf);
}

function stalledCommandOf(item: CommandListItem): StalledCommand {
  const { commandId, commandType, status, version, createdAt, updatedAt } = item;
  const sweep = currentSweep(item);
  return {
    commandId,
    commandType,
    status,
    version,
    createdAt,
    updatedAt,
    nudges: sweep?.nudges ?? 0,
    ...(sweep?.lastNudgedAt === undefined ? {} : { lastNudgedAt: sweep.lastNudgedAt }),
    ...(sweep?.gaveUpAt === undefined ? {} : { gaveUpAt: sweep.gaveUpAt }),
  };
}

/** The sweep record of the document's version: a command that moved on has none. */
const currentSweep = (item: CommandListItem): SweepRecord | undefined => (item.sweep?.version === item.version ? item.sweep : undefined);

/**
 * Compares a document with its stream (reading only the events after the document's version) and,
 * when they differ, re-folds the whole stream and saves it over the document it read (etag-guarded,
 * so a newer projection is never overwritten). Resolves to the document as the stream has it, or
 * undefined when the stream has no command.
 */
async function reconcile(deps: SweepDependencies, document: CommandListItem, repaired: Repair[]): Promise<CommandListItem | undefined> {
  const streamId = commandStreamId(document.commandId);
  const { version } = await deps.workflow.eventStore.readStream(streamId, { fromVersion: document.version + 1 });
  if (version === document.version) return document;
  const rebuilt = commandListItemFromStream(workflowEventCodec.decodeAll((await deps.workflow.eventStore.readStream(streamId)).events));
  if (rebuilt === undefined) return undefined;
  const saved = await saveWithRetry(deps.listStore, document.commandId, (current) =>
    current === undefined || current.version !== rebuilt.version || current.updatedAt !== rebuilt.updatedAt ? keepingSweepRecord(rebuilt, current) : undefined,
  );
  if (saved) repaired.push({ commandId: document.commandId, fromVersion: document.version, toVersion: rebuilt.version, status: rebuilt.status });
  return keepingSweepRecord(rebuilt, document);
}

async function nudgeOrGiveUp(
  deps: SweepDependencies,
  { maxNudges }: SweepSettings,
  stuck: CommandListItem,
  stalledBefore: string,
  report: { nudged: Nudge[]; gaveUp: Abandonment[] },
): Promise<void> {
  if (isWaiting(stuck, stalledBefore)) return;
  const sweep = currentSweep(stuck);
  const at = deps.workflow.now().toISOString();
  const nudges = sweep?.nudges ?? 0;
  const record: SweepRecord =
    nudges >= maxNudges
      ? { version: stuck.version, nudges, ...(sweep?.lastNudgedAt === undefined ? {} : { lastNudgedAt: sweep.lastNudgedAt }), gaveUpAt: at }
      : { version: stuck.version, nudges: nudges + 1, lastNudgedAt: at };
  // Recorded before the message is sent: a crash in between costs one nudge, never one over the bound.
  const recorded = await saveWithRetry(deps.listStore, stuck.commandId, (current) =>
    current !== undefined && current.version === stuck.version && current.updatedAt === stuck.updatedAt && sameSweep(currentSweep(current), sweep)
      ? { ...current, sweep: record }
      : undefined,
  );
  if (!recorded) return; // the command moved, or another sweep got there first
  if (record.gaveUpAt !== undefined) {
    report.gaveUp.push({ commandId: stuck.commandId, status: stuck.status, nudges });
    return;
  }
  const queue = pendingQueueOf[stuck.status] as QueueName;
  const message = { ...stepMessage(stuck.commandId, queue, stuck), messageId: nudgeMessageId(stuck.commandId, queue, stuck.version, record.nudges) };
  await deps.workflow.sender.send(queue, message);
  report.nudged.push({ commandId: stuck.commandId, status: stuck.status, queue, messageId: message.messageId, nudge: record.nudges });
}

const sameSweep = (a: SweepRecord | undefined, b: SweepRecord | undefined): boolean =>
  a?.nudges === b?.nudges && a?.lastNudgedAt === b?.lastNudgedAt && a?.gaveUpAt === b?.gaveUpAt;

/**
 * Reads the document and saves what `change` makes of it, guarded by the etag it was read with;
 * on a lost race, reads and asks again. `change` returns undefined when there is nothing to write.
 * Resolves true when it wrote.
 */
async function saveWithRetry(
  listStore: CommandListStore,
  commandId: string,
  change: (current: CommandListItem | undefined) => CommandListItem | undefined,
): Promise<boolean> {
  for (let attempt = 0; attempt < maxSaveAttempts; attempt++) {
    const current = await listStore.get(commandId);
    const next = change(current?.item);
    if (next === undefined) return false;
    if (await listStore.save(next, current?.etag)) return true;
  }
  return false;
}
