import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleCatalogue } from '@commandflow/commands';
import { commandStreamId, workflowEventCodec, type Json, type WorkflowEvent, type WorkflowEventDraft } from '@commandflow/events';
import { commandState, evolveCommandState, initialCommandState } from '@commandflow/projections';
import { openEmbeddedStores } from '@commandflow/sqlite';
import { InMemoryWorkflow, projectToCommandList } from '@commandflow/workflow';
import { formatNumber, textTable } from './textTable';

/**
 * What one command costs as its parameter count grows: 1, 100 and 1,000 parameters (the limit),
 * through the real steps on a SQLite file (log, validate, perform), reading its state (the fold
 * behind GET /api/commands/{id}) and projecting it into the command list. Linear cost shows as a
 * flat time per parameter. The fold is also run one event at a time with copies (the quadratic
 * shape it had) for comparison, up to 4,000 parameters.
 *
 *   npm run bench:parameters
 */
const counts = [1, 100, 1_000];
const foldOnlyCounts = [1, 100, 1_000, 4_000];
const repeats = 7;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

async function timedAsync(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const parametersOf = (count: number): Record<string, Json> =>
  Object.fromEntries([['leagueName', `Wide ${count} ${Math.random()}`], ...Array.from({ length: count - 1 }, (_, n) => [`p${n}`, `value ${n}`])]);

/** A created command's stream with `count` ParameterSet events, built directly (past the input limit). */
function streamOf(count: number): WorkflowEvent[] {
  const drafts: WorkflowEventDraft[] = [
    { type: 'CommandCreated', data: { commandType: 'create-league', actor: 'bench', source: 'cli' } },
    ...Object.entries(parametersOf(count)).map(([name, value]): WorkflowEventDraft => ({ type: 'ParameterSet', data: { name, value } })),
  ];
  const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: 'bench', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };
  return drafts.map((draft, index) => ({ ...draft, eventId: `e${index}`, streamId: 'command-c', version: index + 1, metadata }) as WorkflowEvent);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'commandflow-bench-parameters-'));
  const stores = openEmbeddedStores({ path: join(dir, 'bench.db'), durability: 'process-crash' });
  try {
    const runOne = async (count: number) => {
      const workflow = new InMemoryWorkflow(sampleCatalogue(), { eventStore: stores.eventStore });
      let commandId = '';
      const log = await timedAsync(async () => {
        // Each workflow numbers its ids from 1: a fresh idempotency key gives each run a stream of its own.
        const idempotencyKey = `bench-${count}-${Math.random()}`;
        commandId = (await workflow.submit({ commandType: 'create-league', parameters: parametersOf(count), idempotencyKey })).commandId;
      });
      const steps = await timedAsync(() => workflow.drain());
      const stored = (await stores.eventStore.readStream(commandStreamId(commandId))).events;
      const read = timed(() => commandState(workflowEventCodec.decodeAll(stored)));
      const project = await timedAsync(() => projectToCommandList({ listStore: stores.listStore, eventStore: stores.eventStore }, stored));
      return { log, steps, read, project };
    };
    for (let warmUp = 0; warmUp < 3; warmUp++) await runOne(1_000);
    const workflowRows: string[][] = [];
    for (const count of counts) {
      const runs: Awaited<ReturnType<typeof runOne>>[] = [];
      for (let repeat = 0; repeat < repeats; repeat++) runs.push(await runOne(count));
      const medians = (['log', 'steps', 'read', 'project'] as const).map((part) => median(runs.map((run) => run[part])));
      const total = medians.reduce((sum, value) => sum + value, 0);
      workflowRows.push([formatNumber(count, 0), ...medians.map((value) => formatNumber(value)), formatNumber(total), formatNumber((total * 1000) / count, 1)]);
    }
    console.log(`One command of create-league with n parameters on SQLite (medians of ${repeats}, ms)\n`);
    console.log(textTable(['parameters', 'log', 'validate+perform', 'read state', 'project to list', 'total', 'µs per parameter'], workflowRows));

    const foldRows: string[][] = [];
    for (const count of foldOnlyCounts) {
      const events = streamOf(count);
      const linear = median(Array.from({ length: repeats }, () => timed(() => commandState(events))));
      const copying = median(Array.from({ length: count > 1_000 ? 3 : repeats }, () => timed(() => events.reduce(evolveCommandState, initialCommandState))));
      foldRows.push([formatNumber(count, 0), formatNumber(linear), formatNumber((linear * 1000) / count, 2), formatNumber(copying), formatNumber((copying * 1000) / count, 2)]);
    }
    console.log('\nThe command-state fold alone (ms): linear, and one event at a time with a copy per parameter\n');
    console.log(textTable(['parameters', 'linear fold', 'µs/param', 'copying fold', 'µs/param'], foldRows));
  } finally {
    stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
