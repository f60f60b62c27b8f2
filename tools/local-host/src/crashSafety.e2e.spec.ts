import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { bundleHost, eventually, startHostProcess, type HostProcess } from '@commandflow/testing';

/**
 * Crash safety: while 5,000 commands go through the apps, each in its own process, app processes
 * are killed with SIGKILL 20 times, spread over the run (the supervisor restarts them, and releases
 * the message locks a killed app held). Every accepted command must reach exactly one terminal
 * event, none is lost, and all are terminal within seconds of the last kill: no message waits out
 * its lock (the default minute). Then the whole host restarts and nothing moves.
 */
jest.setTimeout(300_000);

const commandCount = 5_000;
const killCount = 20;
const submitConcurrency = 32;
const recoveryBoundMs = 10_000;
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

it('survives kill -9 of any app process at any moment: every accepted command ends exactly once, within seconds of the last kill', async () => {
  const databasePath = path.join(bundle.dir, 'crash.db');
  const env = { COMMANDFLOW_DATABASE: databasePath };
  let host: HostProcess = await startHostProcess(bundle.script, { singleProcess: false, env });
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const isTerminal = db
      .prepare<[string], number>(`SELECT 1 FROM events WHERE stream_id = ? AND json_extract(event, '$.type') IN ${terminalTypes} LIMIT 1`)
      .pluck();

    // Kill number k when k/20 of the commands have been submitted, each round hitting every app once, in a random order.
    const kills: string[] = [];
    let lastKillAt = 0;
    const victims: string[] = [];
    async function killNext(): Promise<void> {
      if (victims.length === 0) victims.push(...['intake', 'validator', 'executor'].sort(() => Math.random() - 0.5));
      const app = victims.shift() as string;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
        const victim = appProcesses(host.process.pid as number).find((candidate) => candidate.app === app);
        if (!victim) continue; // being restarted
        process.kill(victim.pid, 'SIGKILL');
        kills.push(app);
        lastKillAt = Date.now();
        return;
      }
    }

    // Closed loop: each submitter waits for its command to end before the next, so no backlog hides the recovery.
    const commandIds: string[] = [];
    let next = 0;
    let killing = Promise.resolve();
    await Promise.all(
      Array.from({ length: submitConcurrency }, async () => {
        while (next < commandCount) {
          const n = next++;
          if ((n + 1) % (commandCount / killCount) === 0) killing = killing.then(killNext);
          const commandId = await submitUntilAccepted(host.url, n);
          commandIds.push(commandId);
          await eventually(async () => isTerminal.get(`command-${commandId}`), (found) => found === 1, 120_000);
        }
      }),
    );
    await killing;
    const recoveryMs = Date.now() - lastKillAt;
    console.log(`${kills.length} kills (${kills.join(', ')}); every command terminal ${recoveryMs} ms after the last kill`);
    expect(new Set(commandIds).size).toBe(commandCount);
    expect(kills).toHaveLength(killCount);
    expect(recoveryMs).toBeLessThan(recoveryBoundMs);

    expect(new Set(kills)).toEqual(new Set(['intake', 'validator', 'executor']));

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
  } finally {
    db.close();
    await host.stop();
  }
});
