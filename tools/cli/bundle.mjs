// Bundles the CLI: `node bundle.mjs [outfile]`, by default into dist/cli/main.js.
import { resolve } from 'node:path';
import { bundleNode, workspaceRoot } from '../nodeBundle.mjs';

await bundleNode({
  entry: `${workspaceRoot}/tools/cli/src/main.ts`,
  outfile: resolve(process.argv[2] ?? `${workspaceRoot}/dist/cli/main.js`),
});
