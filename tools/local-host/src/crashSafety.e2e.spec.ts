import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { bundleHost, eventually, startHostProcess, type HostProcess } from '@commandflow/testing';

/**
 * Crash safety: while 500 commands go through the apps, each in its own process, app processes
 * are killed with SIGKILL at random moments (the supervisor restarts them). Every accepted command
 * must reach exactly one terminal event; none is lost. Then the whole host restarts and nothing moves.
 */
jest.setTimeout(240_000);

const commandCount = 500;
const submitConcurrency = 8;
const bundle = bundleHost();
afterAll(() => bundle.cleanup());

const terminalTypes = "('CommandCompleted', 'CommandFailed')";

/** The app processes the supervisor runs, by app name. */
function appProcesses(supervisorPid: number): { app: string; pid: number }[] {
  let lines: string[];
  try {
    lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(supervisorPid)], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return []; // ps exits 1 when the supervisor has no children at this instant
  }
  return lines.flatMap((line) => {
    const match = /^\s*(\d+)\s.*--app (\w+)/.exec(line);
    return match ? [{ pid: Number(match[1]), app: match[2] as string }] : [];
  });
}

async function submitUntilAccepted(url: string, n: number): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/api/commands/create-league`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `crash-${n}` },
        body: JSON.stringify({ parameters: { leagueName: `Crash League ${n}` } }),
      });
      if (response.status === 202 || response.status === 200) return ((await response.json()) as { commandId: string }).commandId;
    } catch {
      // the intake process died mid-request: the same idempotency key makes the retry safe
    }
    if (Date.now() > deadline) throw new Error(`command ${n} was never accepted`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('survives kill -9 of any app process at any moment: every accepted command ends exactly once', async () => {
  const databasePath = path.join(bundle.dir, 'crash.db');
  const env = { COMMANDFLOW_DATABASE: databasePath, COMMANDFLOW_LOCK_DURATION_MS: '1000' };
  let host: HostProcess = await startHostProcess(bundle.script, { singleProcess: false, env });
  const kills: string[] = [];
  let killing = true;
  const killer = (async () => {
    while (killing) {
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 500));
      const candidates = appProcesses(host.process.pid as number);
      const victim = candidates[Math.floor(Math.random() * candidates.length)];
      if (!killing || !victim) continue;
      try {
        process.kill(victim.pid, 'SIGKILL');
        kills.push(victim.app);
      } catch {
        // already gone
      }
    }
  })();

  const commandIds: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: submitConcurrency }, async () => {
      while (next < commandCount) commandIds.push(await submitUntilAccepted(host.url, next++));
    }),
  );
  expect(new Set(commandIds).size).toBe(commandCount);

  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  const terminalCount = () =>
    (db.prepare(`SELECT count(DISTINCT stream_id) AS n FROM events WHERE json_extract(event, '$.type') IN ${terminalTypes}`).get() as { n: number }).n;
  await eventually(async () => terminalCount(), (n) => n >= commandCount, 180_000);
  await eventually(async () => new Set(kills).size === 3 && kills.length >= 10, (enough) => enough, 60_000);
  killing = false;
  await killer;
  expect(new Set(kills)).toEqual(new Set(['intake', 'validator', 'executor']));
  expect(kills.length).toBeGreaterThanOrEqual(10);

  const terminalPerCommand = db
    .prepare(
      `SELECT stream_id AS streamId, count(*) AS terminals, group_concat(json_extract(event, '$.type')) AS types
       FROM events WHERE json_extract(event, '$.type') IN ${terminalTypes} GROUP BY stream_id`,
    )
    .all() as { streamId: string; terminals: number; types: string }[];
  expect(terminalPerCommand).toHaveLength(commandCount);
  expect(terminalPerCommand.filter((row) => row.terminals !== 1)).toEqual([]);
  expect(new Set(terminalPerCommand.map((row) => row.streamId))).toEqual(new Set(commandIds.map((id) => `command-${id}`)));
  expect(terminalPerCommand.filter((row) => row.types !== 'CommandCompleted')).toEqual([]);
  const created = db.prepare(`SELECT count(*) AS n FROM events WHERE json_extract(event, '$.type') = 'CommandCreated'`).get() as { n: number };
  expect(created.n).toBe(commandCount);
  const leagues = db.prepare(`SELECT count(*) AS n FROM events WHERE stream_id LIKE 'league-%'`).get() as { n: number };
  expect(leagues.n).toBe(commandCount);

  // The read model catches up too (at least once, despite the kills).
  const completedInList = () => (db.prepare(`SELECT count(*) AS n FROM command_list WHERE status = 'Completed'`).get() as { n: number }).n;
  await eventually(async () => completedInList(), (n) => n === commandCount, 60_000);

  // A full restart resumes where it stopped: nothing is redone.
  await host.stop();
  const eventsBefore = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  host = await startHostProcess(bundle.script, { singleProcess: false, env });
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(eventsBefore);
  const deadLetters = db.prepare(`SELECT count(*) AS n FROM queue_messages WHERE state = 'dead-lettered'`).get() as { n: number };
  expect(deadLetters.n).toBe(0);
  db.close();
  await host.stop();
});
