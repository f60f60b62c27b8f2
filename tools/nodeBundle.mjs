// The one esbuild configuration for everything that runs on Node: the function apps, the local
// host, the benchmark.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('..', import.meta.url));

/** The Node.js major version Azure runs the function apps on (libs/topology's functionsRuntime). */
export const functionsNodeVersion = JSON.parse(
  readFileSync(`${workspaceRoot}/libs/topology/src/functionsRuntime.json`, 'utf8'),
).version;

/** The oldest Node.js major the tools that run on a developer's machine (local host, CLI, bench) support. */
export const localNodeVersion = '20';

/**
 * Bundles `entry` and all it imports (third-party code included) into one CommonJS file for
 * Node.js `nodeVersion` (default: the local tools' minimum; function apps pass the Azure runtime's).
 * `@azure/functions-core` exists only inside the Azure Functions host; better-sqlite3 is native
 * and is loaded only by the embedded default, never by an app on Azure.
 */
export async function bundleNode({ entry, outfile, external = [], nodeVersion = localNodeVersion }) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${nodeVersion}`,
    format: 'cjs',
    sourcemap: true,
    tsconfig: `${workspaceRoot}/tsconfig.base.json`,
    external: ['@azure/functions-core', 'better-sqlite3', ...external],
    logLevel: 'warning',
  });
}
