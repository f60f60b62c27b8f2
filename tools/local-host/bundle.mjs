// Bundles the local host (and the three apps it loads): `node bundle.mjs [outfile]`,
// by default into dist/local-host/main.js.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
await build({
  entryPoints: [`${root}/tools/local-host/src/main.ts`],
  outfile: resolve(process.argv[2] ?? `${root}/dist/local-host/main.js`),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  tsconfig: `${root}/tsconfig.base.json`,
  // better-sqlite3 is native; functions-core exists only inside the Azure Functions host.
  external: ['better-sqlite3', '@azure/functions-core'],
  logLevel: 'warning',
});
