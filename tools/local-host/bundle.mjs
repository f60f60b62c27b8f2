// Bundles the local host (and the three apps it loads) into dist/local-host/main.js.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
await build({
  entryPoints: [`${root}/tools/local-host/src/main.ts`],
  outfile: `${root}/dist/local-host/main.js`,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  tsconfig: `${root}/tsconfig.base.json`,
  external: ['better-sqlite3', '@azure/functions-core'],
  logLevel: 'warning',
});
