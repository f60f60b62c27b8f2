import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** The part of `nx graph --file=<file>.json` the pipeline checks read. */
export type ProjectGraph = Readonly<{
  nodes: Readonly<Record<string, Readonly<{ data: Readonly<{ root: string; tags?: readonly string[] }> }>>>;
  dependencies: Readonly<Record<string, readonly Readonly<{ source: string; target: string }>[]>>;
}>;

const run = promisify(execFile);

/** Environment for nx child processes: offline, no daemon, no interactive output. */
const nxEnvironment = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

function nx(workspaceRoot: string, args: readonly string[]): Promise<{ stdout: string }> {
  const cli = path.join(workspaceRoot, 'node_modules/nx/dist/bin/nx.js');
  return run(process.execPath, [cli, ...args], { cwd: workspaceRoot, env: nxEnvironment, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** The workspace's project graph, as `nx graph --file` writes it (offline, about 3 s). */
export async function computeProjectGraph(workspaceRoot: string): Promise<ProjectGraph> {
  const folder = await mkdtemp(path.join(tmpdir(), 'pipelines-graph-'));
  try {
    const file = path.join(folder, 'graph.json');
    await nx(workspaceRoot, ['graph', `--file=${file}`]);
    return (JSON.parse(await readFile(file, 'utf8')) as { graph: ProjectGraph }).graph;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** What `nx show projects --affected --files=<files>` answers, for cross-checking {@link affectedBy}. */
export async function nxAffectedProjects(workspaceRoot: string, files: readonly string[]): Promise<Set<string>> {
  const { stdout } = await nx(workspaceRoot, ['show', 'projects', '--affected', `--files=${files.join(',')}`]);
  return new Set(stdout.split('\n').map((line) => line.trim()).filter((line) => line !== ''));
}

export function projectRoot(graph: ProjectGraph, project: string): string {
  const node = graph.nodes[project];
  if (!node) throw new Error(`No project ${project} in the graph`);
  return node.data.root;
}

export function projectsTagged(graph: ProjectGraph, tag: string): string[] {
  return Object.keys(graph.nodes)
    .filter((name) => graph.nodes[name]?.data.tags?.includes(tag))
    .sort();
}

/** Every project `project` depends on, directly or not (static, dynamic and implicit edges). */
export function dependenciesOf(graph: ProjectGraph, project: string): Set<string> {
  return reachable(project, (name) =>
    (graph.dependencies[name] ?? []).map((edge) => edge.target).filter((target) => target in graph.nodes),
  );
}

/** Every project that depends on `project`, directly or not. */
export function dependentsOf(graph: ProjectGraph, project: string): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const edges of Object.values(graph.dependencies)) {
    for (const { source, target } of edges) dependents.set(target, [...(dependents.get(target) ?? []), source]);
  }
  return reachable(project, (name) => dependents.get(name) ?? []);
}

/** The project whose folder holds `file` (the deepest root that contains it), if any. */
export function projectOwning(graph: ProjectGraph, file: string): string | undefined {
  return Object.keys(graph.nodes)
    .filter((name) => file.startsWith(`${projectRoot(graph, name)}/`))
    .sort((a, b) => projectRoot(graph, b).length - projectRoot(graph, a).length)[0];
}

/** The affected rule for source files: the projects that own them and everything that depends on those. */
export function affectedBy(graph: ProjectGraph, files: readonly string[]): Set<string> {
  const affected = new Set<string>();
  for (const owner of files.map((file) => projectOwning(graph, file))) {
    if (owner === undefined) continue;
    affected.add(owner);
    for (const dependent of dependentsOf(graph, owner)) affected.add(dependent);
  }
  return affected;
}

function reachable(start: string, next: (name: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...next(start)];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name) || name === start) continue;
    seen.add(name);
    pending.push(...next(name));
  }
  return seen;
}
