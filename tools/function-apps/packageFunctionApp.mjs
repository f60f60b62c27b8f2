// `node tools/function-apps/packageFunctionApp.mjs <app>`: zips dist/apps/<app> into
// dist/apps/<app>.zip, the package Flex Consumption deploys (OneDeploy / config-zip).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { workspaceRoot } from '../nodeBundle.mjs';

const app = process.argv[2];
const folder = `${workspaceRoot}/dist/apps/${app}`;
if (!app || !existsSync(`${folder}/main.js`)) {
  console.error(`usage: packageFunctionApp.mjs <app>, after nx build <app> (no ${folder}/main.js)`);
  process.exit(2);
}
const zip = `${folder}.zip`;
rmSync(zip, { force: true });
execFileSync('zip', ['-q', '-r', '-X', zip, 'main.js', 'main.js.map', 'host.json', 'package.json'], { cwd: folder, stdio: 'inherit' });
console.log(`Packaged ${app} into ${zip}`);
