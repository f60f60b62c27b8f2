import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Where a process spent its sampled time, by area of the code and by function. */
export interface CpuProfileSummary {
  readonly totalMs: number;
  /** Inclusive time of the storage operations (their callees and native SQLite time included). */
  readonly operations: readonly { readonly operation: string; readonly ms: number }[];
  readonly areas: readonly { readonly area: string; readonly ms: number }[];
  readonly functions: readonly { readonly name: string; readonly location: string; readonly ms: number }[];
}

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * The areas time is reported under, by original source path (bundled frames are mapped back
 * through the bundle's source map). Native SQLite time shows under the JS function that called
 * the statement: the SQLite adapters and better-sqlite3's transaction wrapper (BEGIN / COMMIT).
 */
const areas: readonly (readonly [RegExp, string])[] = [
  [/^\(idle\)$/, 'idle (event loop waiting)'],
  [/^\(garbage collector\)$/, 'garbage collection'],
  [/^\(program\)$/, 'V8 / native, outside JS'],
  [/tools\/bench\/src\/statementCounter/, 'SQLite statements (native time, seen through the bench counter)'],
  [/better-sqlite3/, 'better-sqlite3 transactions (BEGIN, COMMIT: native)'],
  [/libs\/sqlite\//, 'SQLite adapters: event store, queue, read model (incl. native statements)'],
  [/tools\/local-host\//, 'local host: HTTP binding, queue binding, poll loop, invocation'],
  [/node_modules\/zod\//, 'zod (request and parameter schemas)'],
  [/node_modules\/@azure\/functions\//, '@azure/functions (HttpRequest, InvocationContext)'],
  [/node_modules\/undici|internal\/deps\/undici/, 'undici (Request / Headers / body, used by @azure/functions)'],
  [/libs\/(workflow|projections|events|event-store|commands|messaging|topology)\/|apps\//, 'workflow, projections, events, apps'],
  [/^node:|^internal\/|^$/, 'Node.js core (http, net, streams, timers)'],
];

/**
 * Storage operations, by function name and original source file. Their bodies are synchronous
 * (better-sqlite3), so time under them is complete, native SQLite time included.
 */
const operations: readonly (readonly [string, RegExp, string])[] = [
  ['send', /libs\/sqlite\/src\/sqliteQueue\.ts/, 'queue send (1 write transaction)'],
  ['receive', /libs\/sqlite\/src\/sqliteQueue\.ts/, 'queue receive, empty polls included (1 write transaction each)'],
  ['complete', /libs\/sqlite\/src\/sqliteQueue\.ts/, 'queue complete (1 write transaction)'],
  ['appendToStream', /libs\/sqlite\/src\/sqliteEventStore\.ts/, 'event-store append (1 write transaction)'],
  ['readStream', /libs\/sqlite\/src\/sqliteEventStore\.ts/, 'event-store read (1 read transaction)'],
  ['readFeed', /libs\/sqlite\/src\/sqliteEventStore\.ts/, 'change-feed read'],
  ['get', /libs\/sqlite\/src\/sqliteCommandListStore\.ts/, 'read-model get'],
  ['save', /libs\/sqlite\/src\/sqliteCommandListStore\.ts/, 'read-model save (1 write transaction)'],
  ['saveCheckpoint', /libs\/sqlite\/src\/sqliteFeedCheckpoints\.ts/, 'feed checkpoint save (1 write transaction)'],
];

export function summariseCpuProfile(file: string, topFunctions = 12): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const sourceMaps = new Map<string, SourceMapLookup | undefined>();
  const selfMs = new Map<number, number>();
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += ms;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  });

  const byArea = new Map<string, number>();
  const byFunction = new Map<string, { name: string; location: string; ms: number }>();
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber, columnNumber } = (nodes.get(id) as ProfileNode).callFrame;
    let location = url;
    const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
    if (path.endsWith('.js') && path.startsWith('/')) {
      if (!sourceMaps.has(path)) sourceMaps.set(path, loadSourceMap(path));
      const original = sourceMaps.get(path)?.(lineNumber, columnNumber);
      location = original ? `${original.source}:${original.line + 1}` : `${path}:${lineNumber + 1}`;
    }
    const key = functionName.startsWith('(') ? functionName : location;
    const area = areas.find(([pattern]) => pattern.test(key))?.[1] ?? 'other';
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const name = functionName || '(anonymous)';
    const functionKey = `${name} ${location}`;
    const entry = byFunction.get(functionKey) ?? { name, location: functionName.startsWith('(') ? '' : location, ms: 0 };
    entry.ms += ms;
    byFunction.set(functionKey, entry);
  }
  // Inclusive time of the storage operations: walk each sample's stack, count each operation once.
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const operationOf = new Map<number, string | undefined>();
  const operationOfNode = (id: number): string | undefined => {
    if (!operationOf.has(id)) {
      const { functionName, url, lineNumber, columnNumber } = (nodes.get(id) as ProfileNode).callFrame;
      const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
      const source = path.endsWith('.js') && path.startsWith('/') ? (sourceMaps.get(path)?.(lineNumber, columnNumber)?.source ?? path) : path;
      operationOf.set(id, operations.find(([name, file]) => name === functionName && file.test(source))?.[2]);
    }
    return operationOf.get(id);
  };
  const byOperation = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parents.get(node)) {
      const operation = operationOfNode(node);
      if (operation && !seen.has(operation)) {
        seen.add(operation);
        byOperation.set(operation, (byOperation.get(operation) ?? 0) + ms);
      }
    }
  });

  return {
    totalMs,
    operations: [...byOperation].map(([operation, ms]) => ({ operation, ms })).sort((a, b) => b.ms - a.ms),
    areas: [...byArea].map(([area, ms]) => ({ area, ms })).sort((a, b) => b.ms - a.ms),
    functions: [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, topFunctions),
  };
}

type SourceMapLookup = (line: number, column: number) => { source: string; line: number } | undefined;

/** A lookup from a bundle position to its original source, from `<file>.map` (source map v3). */
function loadSourceMap(file: string): SourceMapLookup | undefined {
  const mapFile = `${file}.map`;
  if (!existsSync(mapFile)) return undefined;
  const { sources, mappings } = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string };
  const root = resolve(dirname(file), '../..');
  const names = sources.map((source) => resolve(dirname(file), source).replace(`${root}/`, ''));
  const lines = mappings.split(';');
  const decoded = new Map<number, { column: number; source: number; line: number }[]>();
  // Source index and original line carry over from line to line; the generated column does not.
  const state = { source: 0, line: 0 };
  const decodedUpTo = { line: -1 };
  const decodeThrough = (target: number) => {
    for (let generatedLine = decodedUpTo.line + 1; generatedLine <= target && generatedLine < lines.length; generatedLine++) {
      const segments: { column: number; source: number; line: number }[] = [];
      let column = 0;
      for (const segment of (lines[generatedLine] as string).split(',')) {
        if (segment === '') continue;
        const fields = decodeVlq(segment);
        column += fields[0] ?? 0;
        if (fields.length >= 4) {
          state.source += fields[1] as number;
          state.line += fields[2] as number;
          segments.push({ column, source: state.source, line: state.line });
        }
      }
      decoded.set(generatedLine, segments);
      decodedUpTo.line = generatedLine;
    }
  };
  return (line, column) => {
    decodeThrough(line);
    const segments = decoded.get(line) ?? [];
    let found: { column: number; source: number; line: number } | undefined;
    for (const segment of segments) {
      if (segment.column > column) break;
      found = segment;
    }
    found ??= segments[0];
    return found && { source: names[found.source] ?? '?', line: found.line };
  };
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = base64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
