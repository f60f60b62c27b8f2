// `node tools/function-apps/buildFunctionApp.mjs <app> [outdir]`: the deployable folder of a
// function app, by default dist/apps/<app>: main.js (bundled), host.json, a minimal package.json.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { bundleNode, functionsNodeVersion, workspaceRoot } from '../nodeBundle.mjs';

const apps = ['intake', 'validator', 'executor'];
const [app, outdirArgument] = process.argv.slice(2);
if (!apps.includes(app)) {
  console.error(`usage: buildFunctionApp.mjs <${apps.join('|')}> [outdir]`);
  process.exit(2);
}
const appRoot = `${workspaceRoot}/apps/${app}`;
const outdir = resolve(outdirArgument ?? `${workspaceRoot}/dist/apps/${app}`);
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await bundleNode({ entry: `${appRoot}/src/main.ts`, outfile: `${outdir}/main.js`, nodeVersion: functionsNodeVersion });
await copyFile(`${appRoot}/host.json`, `${outdir}/host.json`);
const { version } = JSON.parse(await readFile(`${workspaceRoot}/package.json`, 'utf8'));
const packageJson = { name: `commandflow-${app}`, version, private: true, main: 'main.js', engines: { node: `>=${functionsNodeVersion}` } };
await writeFile(`${outdir}/package.json`, `${JSON.stringify(packageJson, null, 2)}\n`);
console.log(`Built ${app} into ${outdir}`);
