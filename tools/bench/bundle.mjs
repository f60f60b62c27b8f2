// Bundles the benchmark, its SQLite statement counter and its own copy of the local host into
// dist/bench/ (a copy, so that a benchmark run never races `npm start` over dist/local-host).
import { bundleNode, workspaceRoot } from '../nodeBundle.mjs';

await Promise.all([
  bundleNode({ entry: `${workspaceRoot}/tools/bench/src/main.ts`, outfile: `${workspaceRoot}/dist/bench/bench.js` }),
  bundleNode({ entry: `${workspaceRoot}/tools/bench/src/parameterCost.ts`, outfile: `${workspaceRoot}/dist/bench/parameterCost.js` }),
  bundleNode({ entry: `${workspaceRoot}/tools/bench/src/sweepCost.ts`, outfile: `${workspaceRoot}/dist/bench/sweepCost.js` }),
  bundleNode({ entry: `${workspaceRoot}/tools/bench/src/statementCounter.ts`, outfile: `${workspaceRoot}/dist/bench/statementCounter.js` }),
  bundleNode({ entry: `${workspaceRoot}/tools/local-host/src/main.ts`, outfile: `${workspaceRoot}/dist/bench/host.js` }),
]);
