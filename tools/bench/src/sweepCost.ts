import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleCatalogue } from '@commandflow/commands';
import { commandStreamId } from '@commandflow/events';
import type { CommandListItem } from '@commandflow/projections';
import { openEmbeddedStores } from '@commandflow/sqlite';
import { InMemoryWorkflow, defaultSweepSettings, projectToCommandList, sweepStalledCommands, type SweepReport } from '@commandflow/workflow';
import { formatNumber, textTable } from './textTable';

/**
 * What a sweep costs on the embedded default as the command list grows: a SQLite file with
 * 10,000 to 200,000 finished commands in the read model and 200 commands whose validate message
 * was lost. It times a sweep that finds nothing (the clock before the threshold), the sweep that
 * nudges the stalled ones (100, a page), and the one right after it (the next 100), and counts the
 * stream reads.
 *
 *   npm run bench:sweep
 */
const sizes = [10_000, 50_000, 200_000];
const stalledCommands = 200;
const repeats = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function measure(finished: number) {
  const folder = mkdtempSync(join(tmpdir(), 'commandflow-sweep-bench-'));
  const stores = openEmbeddedStores({ path: join(folder, 'bench.db') });
  try {
    const startAt = Date.parse('2026-01-01T00:00:00.000Z');
    // Finished commands, long ago: in the read model only (the sweep's queries must pass them by).
    const insert = stores.db.transaction(() => {
      for (let n = 0; n < finished; n++) {
        const at = new Date(startAt - (finished - n) * 1000).toISOString();
        const commandId = `f1111111-0000-4000-8000-${n.toString(16).padStart(12, '0')}`; // apart from the workflow's own ids
        const item = {
          id: commandId, commandId, commandType: 'create-league', actor: 'bench', source: 'http', correlationId: commandId,
          parameters: { leagueName: `League ${n}` }, errors: [], warnings: [], createdAt: at, updatedAt: at, version: 4,
          status: 'Completed', validatedAt: at, completedAt: at,
        } as CommandListItem;
        void stores.listStore.save(item, undefined);
      }
    });
    insert();
    // Commands whose validate message is lost: their streams exist, the queue is left undrained.
    const workflow = new InMemoryWorkflow(sampleCatalogue(), { eventStore: stores.eventStore, startAt: new Date(startAt).toISOString() });
    for (let n = 0; n < stalledCommands; n++) {
      const { commandId } = await workflow.submit({ commandType: 'create-league', parameters: { leagueName: `Stalled ${n}` } });
      await projectToCommandList({ listStore: stores.listStore, eventStore: stores.eventStore }, (await stores.eventStore.readStream(commandStreamId(commandId))).events);
    }
    let streamReads = 0;
    const eventStore = { ...stores.eventStore, readStream: (...args: Parameters<typeof stores.eventStore.readStream>) => (streamReads++, stores.eventStore.readStream(...args)), appendToStream: stores.eventStore.appendToStream.bind(stores.eventStore) };
    const deps = { workflow: { ...workflow.deps, eventStore }, listStore: stores.listStore };
    const settings = { ...defaultSweepSettings, reconcileWindowMs: 1_000 };
    const sweep = async (): Promise<{ ms: number; reads: number; report: SweepReport }> => {
      streamReads = 0;
      const started = performance.now();
      const report = await sweepStalledCommands(deps, settings);
      return { ms: performance.now() - started, reads: streamReads, report };
    };
    const quiet: { ms: number; reads: number }[] = [];
    for (let n = 0; n < repeats; n++) quiet.push(await sweep()); // nothing is stalled yet, nothing changed in the last second
    workflow.advanceClock(defaultSweepSettings.stallAfterMs + 60_000);
    const nudging = await sweep();
    const next = await sweep(); // passes over the 100 it just nudged, to the next page
    return {
      finished,
      quietMs: median(quiet.map((run) => run.ms)),
      quietReads: quiet[0]?.reads ?? 0,
      nudgingMs: nudging.ms,
      nudged: nudging.report.nudged.length,
      nudgingReads: nudging.reads,
      nextMs: next.ms,
      nextNudged: next.report.nudged.length,
    };
  } finally {
    stores.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const size of sizes) {
    const result = await measure(size);
    rows.push([
      formatNumber(result.finished),
      result.quietMs.toFixed(2),
      String(result.quietReads),
      result.nudgingMs.toFixed(1),
      String(result.nudged),
      String(result.nudgingReads),
      result.nextMs.toFixed(1),
      String(result.nextNudged),
    ]);
  }
  process.stdout.write(
    `A sweep on SQLite (${stalledCommands} commands stalled, the rest finished; median of ${repeats} for the quiet sweep)\n` +
      textTable(['finished commands', 'quiet sweep ms', 'stream reads', 'nudging sweep ms', 'nudged', 'stream reads', 'next sweep ms', 'nudged'], rows) +
      '\n',
  );
}

void main();
