// `node tools/local-host/benchCommandPage.mjs [runs]`: how long the page takes to render 1,000
// commands in Debian's headless Chromium. Bundles and starts the local host (port 0, a temporary
// SQLite file), serves the list 1,000 synthetic commands, and prints the User Timing measure
// `commandflow:render-list` for a fresh page and for a live-refresh redraw, run after run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const runs = Number(process.argv[2] ?? 5);
// Inside the workspace's tmp/, so that the bundle finds better-sqlite3 in node_modules.
const workspaceRoot = new URL('../..', import.meta.url).pathname;
mkdirSync(join(workspaceRoot, 'tmp'), { recursive: true });
const dir = mkdtempSync(join(workspaceRoot, 'tmp', 'page-bench-'));
const script = join(dir, 'main.js');
execFileSync(process.execPath, [new URL('./bundle.mjs', import.meta.url).pathname, script]);
const host = spawn(process.execPath, [script, '--single-process', '--port', '0'], {
  env: { ...process.env, COMMANDFLOW_DATABASE: join(dir, 'bench.db') },
  cwd: workspaceRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let output = '';
  host.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /is serving at (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
  host.once('exit', () => reject(new Error(`The host exited: ${output}`)));
});
const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox'] });
try {
  const items = Array.from({ length: 1000 }, (_, n) => ({
    commandId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    commandType: 'create-league',
    status: ['Created', 'Validated', 'Completed', 'Invalid', 'Failed'][n % 5],
    actor: 'anonymous',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
    version: 4,
  }));
  console.log('run  first render (ms)  redraw (ms)');
  for (let run = 1; run <= runs; run++) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    let served = items;
    await page.route(/\/api\/ui\/data\/commands\?/, (route) => route.fulfill({ json: { items: served, continuation: null } }));
    await page.goto(`${url}/api/ui?live=off`);
    await page.waitForSelector('#commands tbody tr:nth-child(1000)');
    served = items.map((item) => ({ ...item, version: 5 }));
    await page.getByLabel('Refresh live').check();
    await page.waitForFunction(() => performance.getEntriesByName('commandflow:render-list').length >= 2);
    const [first, redraw] = await page.evaluate(() => performance.getEntriesByName('commandflow:render-list').map((entry) => entry.duration));
    console.log(`${String(run).padStart(3)}  ${first.toFixed(1).padStart(17)}  ${redraw.toFixed(1).padStart(11)}`);
    await page.close();
  }
} finally {
  await browser.close();
  host.kill();
  rmSync(dir, { recursive: true, force: true });
}
