import { openCommandflowDatabase } from '@commandflow/sqlite';
import { leasePrefixes } from '@commandflow/topology';
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** Events of one finished create-league workflow: five on the command's stream, two on the league's. */
const eventsPerWorkflow = 7;

/**
 * A database file already holding `events` events (rounded up to whole workflows): finished
 * create-league workflows as the host writes them, their command-list documents, and the
 * projector's checkpoint past them, so that a run on it measures a large store, not a catch-up.
 * Built once per size in `folder` and reused (copy it for each run).
 */
export function prefilledDatabase(folder: string, events: number): string {
  const path = join(folder, `commandflow-bench-prefilled-${events}.db`);
  if (existsSync(path)) return path;
  const building = `${path}.building-${process.pid}`;
  const db = openCommandflowDatabase({ path: building });
  const insertEvent = db.prepare<[string, number, string]>('INSERT INTO events (stream_id, version, event) VALUES (?, ?, ?)');
  const insertItem = db.prepare<[string, string, string, string]>(
    `INSERT INTO command_list (command_id, status, command_type, created_at, updated_at, revision, document) VALUES (?, 'Completed', 'create-league', ?, ?, 1, ?)`,
  );
  const started = Date.parse('2026-01-01T00:00:00Z');
  db.transaction(() => {
    for (let workflow = 0; workflow * eventsPerWorkflow < events; workflow++) {
      const commandId = randomUUID();
      const leagueId = randomUUID();
      const occurredAt = new Date(started + workflow * 10).toISOString();
      const metadata = { commandId, correlationId: commandId, causationId: commandId, actor: 'bench', occurredAt, schemaVersion: 1 };
      const event = (type: string, data: unknown) => JSON.stringify({ type, data, eventId: randomUUID(), metadata });
      const leagueName = `Prefilled League ${workflow}`;
      [
        event('CommandCreated', { commandType: 'create-league', actor: 'bench', source: 'http' }),
        event('ParameterSet', { name: 'leagueName', value: leagueName }),
        event('ParameterSet', { name: 'email', value: `league-${workflow}@example.com` }),
        event('ValidationSucceeded', { warnings: [] }),
        event('CommandCompleted', { result: { leagueId } }),
      ].forEach((json, index) => insertEvent.run(`command-${commandId}`, index + 1, json));
      insertEvent.run(`league-${leagueId}`, 1, event('LeagueFormed', { leagueId, name: leagueName }));
      insertEvent.run(`league-${leagueId}`, 2, event('ContactDetailsChanged', { email: `league-${workflow}@example.com` }));
      const item = { id: commandId, commandType: 'create-league', status: 'Completed', actor: 'bench', createdAt: occurredAt, updatedAt: occurredAt, version: 5 };
      insertItem.run(commandId, occurredAt, occurredAt, JSON.stringify(item));
    }
    const lastPosition = db.prepare<[], number>('SELECT max(position) FROM events').pluck().get() ?? 0;
    db.prepare('INSERT INTO feed_checkpoints (consumer, position) VALUES (?, ?)').run(leasePrefixes.commandListProjector, lastPosition);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(building, path);
  return path;
}
