// The one esbuild configuration for everything that runs on Node: the function apps, the local
// host, the benchmark.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles `entry` and all it imports (third-party code included) into one CommonJS file.
 * `@azure/functions-core` exists only inside the Azure Functions host; better-sqlite3 is native
 * and is loaded only by the embedded default, never by an app on Azure.
 */
export async function bundleNode({ entry, outfile, external = [] }) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    tsconfig: `${workspaceRoot}/tsconfig.base.json`,
    external: ['@azure/functions-core', 'better-sqlite3', ...external],
    logLevel: 'warning',
  });
}
