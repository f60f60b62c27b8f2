// Bundles the local host (and the three apps it loads): `node bundle.mjs [outfile]`,
// by default into dist/local-host/main.js.
import { resolve } from 'node:path';
import { bundleNode, workspaceRoot } from '../nodeBundle.mjs';

await bundleNode({
  entry: `${workspaceRoot}/tools/local-host/src/main.ts`,
  outfile: resolve(process.argv[2] ?? `${workspaceRoot}/dist/local-host/main.js`),
});
