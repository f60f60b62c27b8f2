import { openCommandflowDatabase } from '@commandflow/sqlite';
import { randomUUID } from 'node:crypto';
import { closedLoop, type LoadResult, type WorkflowTiming } from './loadPatterns';

export interface BaselineOptions {
  readonly databasePath: string;
  readonly durability: 'process-crash' | 'power-loss';
  readonly count: number;
  readonly concurrency: number;
  readonly warmup: number;
  /** Called between the warm-up and the measured run, and after it (the statement counter's snapshots). */
  readonly onPhase?: () => void;
}

interface StoredEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/**
 * The reference point: the same three steps as three plain better-sqlite3 transactions per
 * workflow, in one process, with no queue, no host and no HTTP. Same schema, pragmas and event
 * JSON as the embedded default (the file is opened with `openCommandflowDatabase`):
 *
 * 1. log: BEGIN IMMEDIATE; the stream's version; insert CommandCreated and two ParameterSet; COMMIT.
 * 2. validate: BEGIN IMMEDIATE; read and parse the stream; is the league name taken (its stream's
 *    version)?; insert ValidationSucceeded; COMMIT.
 * 3. execute: BEGIN IMMEDIATE; read and parse the stream; the league stream's version; insert
 *    LeagueFormed and ContactDetailsChanged on it; insert CommandCompleted; COMMIT.
 *
 * Closed loop at `concurrency`: each workflow yields to the event loop between its transactions,
 * so `concurrency` workflows are in flight, interleaved, as the host's steps would be.
 */
export async function runBaseline({ databasePath, durability, count, concurrency, warmup, onPhase }: BaselineOptions): Promise<LoadResult> {
  const db = openCommandflowDatabase({ path: databasePath, durability });
  const selectVersion = db.prepare<[string], number>('SELECT coalesce(max(version), 0) FROM events WHERE stream_id = ?').pluck();
  const selectStream = db.prepare<[string], { version: number; event: string }>(
    'SELECT version, event FROM events WHERE stream_id = ? ORDER BY version',
  );
  const insert = db.prepare<[string, number, string]>('INSERT INTO events (stream_id, version, event) VALUES (?, ?, ?)');

  const envelope = (streamId: string, version: number, commandId: string, causationId: string, type: string, data: Record<string, unknown>) =>
    JSON.stringify({
      type,
      data,
      eventId: randomUUID(),
      streamId,
      version,
      metadata: { commandId, correlationId: commandId, causationId, actor: 'anonymous', occurredAt: new Date().toISOString(), schemaVersion: 1 },
    });
  const readStream = (streamId: string): StoredEvent[] => selectStream.all(streamId).map(({ event }) => JSON.parse(event) as StoredEvent);
  const parametersOf = (events: readonly StoredEvent[]) =>
    Object.fromEntries(events.filter((e) => e.type === 'ParameterSet').map((e) => [e.data['name'] as string, e.data['value']]));
  const leagueStreamOf = (leagueName: string) => `league-${leagueName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

  const log = db.transaction((commandId: string, parameters: Record<string, string>) => {
    const streamId = `command-${commandId}`;
    if (selectVersion.get(streamId) !== 0) throw new Error(`${streamId} exists`);
    insert.run(streamId, 1, envelope(streamId, 1, commandId, commandId, 'CommandCreated', { commandType: 'create-league', actor: 'anonymous', source: 'http' }));
    Object.entries(parameters).forEach(([name, value], index) =>
      insert.run(streamId, index + 2, envelope(streamId, index + 2, commandId, commandId, 'ParameterSet', { name, value })),
    );
  }).immediate;

  const validate = db.transaction((commandId: string) => {
    const streamId = `command-${commandId}`;
    const events = readStream(streamId);
    if (events.at(-1)?.type !== 'ParameterSet') throw new Error(`${streamId} is not Created`);
    const taken = selectVersion.get(leagueStreamOf(String(parametersOf(events)['leagueName']))) !== 0;
    insert.run(streamId, events.length + 1, envelope(streamId, events.length + 1, commandId, `${commandId}:validate`, taken ? 'ValidationErrorOccurred' : 'ValidationSucceeded', { warnings: 0 }));
  }).immediate;

  const execute = db.transaction((commandId: string) => {
    const streamId = `command-${commandId}`;
    const events = readStream(streamId);
    if (events.at(-1)?.type !== 'ValidationSucceeded') throw new Error(`${streamId} is not Validated`);
    const { leagueName, email } = parametersOf(events) as { leagueName: string; email: string };
    const leagueStreamId = leagueStreamOf(leagueName);
    if (selectVersion.get(leagueStreamId) !== 0) throw new Error(`${leagueStreamId} exists`);
    insert.run(leagueStreamId, 1, envelope(leagueStreamId, 1, commandId, commandId, 'LeagueFormed', { leagueName }));
    insert.run(leagueStreamId, 2, envelope(leagueStreamId, 2, commandId, commandId, 'ContactDetailsChanged', { email }));
    insert.run(streamId, events.length + 1, envelope(streamId, events.length + 1, commandId, `${commandId}:execute`, 'CommandCompleted', { result: { leagueStreamId, leagueName } }));
  }).immediate;

  const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  const runId = randomUUID().slice(0, 8);
  const workflow = async (index: number): Promise<WorkflowTiming> => {
    const commandId = randomUUID();
    const submittedAt = performance.now();
    log(commandId, { leagueName: `Bench ${runId} ${index}`, email: `league-${index}@bench.example` });
    const submitMs = performance.now() - submittedAt;
    await yieldToEventLoop();
    validate(commandId);
    await yieldToEventLoop();
    execute(commandId);
    const finishedAt = performance.now();
    return { submittedAt, submitMs, latencyMs: finishedAt - submittedAt, finishedAt };
  };

  try {
    await closedLoop(warmup, concurrency, workflow);
    onPhase?.();
    const result = await closedLoop(count, concurrency, workflow, warmup);
    onPhase?.();
    return result;
  } finally {
    db.close();
  }
}
