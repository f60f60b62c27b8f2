import { sampleCatalogue } from '@commandflow/commands';
import { SqliteEventStore, SqliteQueue, openCommandflowDatabase } from '@commandflow/sqlite';
import { logCommand } from '@commandflow/workflow';
import { randomUUID } from 'node:crypto';
import { bundleHost, eventually, startHostProcess, type HostProcess } from '@commandflow/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The page in a real browser (Debian's headless Chromium, driven by playwright-core) against the
 * bundled local host on a temporary SQLite file. Screenshots go to UI_SCREENSHOTS_DIR when it is
 * set (docs/images refreshes the ones the docs show), else beside the bundle.
 */
jest.setTimeout(180_000);

const bundle = bundleHost();
const databasePath = path.join(bundle.dir, 'page.db');
const screenshots = process.env['UI_SCREENSHOTS_DIR'] ? path.resolve(process.env['UI_SCREENSHOTS_DIR']) : path.join(bundle.dir, 'screenshots');
mkdirSync(screenshots, { recursive: true });

let host: HostProcess;
let browser: Browser;
let db: ReturnType<typeof openCommandflowDatabase>;
beforeAll(async () => {
  // Commands stall after 2 s; the sweeper's timer does not fire during the run, so a stalled one stays listed.
  host = await startHostProcess(bundle.script, {
    singleProcess: true,
    env: { COMMANDFLOW_DATABASE: databasePath, MAX_DELIVERY_COUNT: '2', COMMANDFLOW_STALL_AFTER: 'PT2S', COMMANDFLOW_SWEEP_SCHEDULE: '0 0 0 1 1 *' },
  });
  db = openCommandflowDatabase({ path: databasePath });
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  db?.close();
  await host?.stop();
  bundle.cleanup();
});

async function submit(commandType: string, parameters: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${host.url}/api/commands/${commandType}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ parameters }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { commandId: string }).commandId;
}

const statusOf = async (commandId: string) => ((await (await fetch(`${host.url}/api/commands/${commandId}`)).json()) as { status: string }).status;
const settled = (commandId: string, status: string) => eventually(() => statusOf(commandId), (s) => s === status);

async function newPage(width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: width < 500 ? 780 : 900 } });
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

describe('the command page', () => {
  const league = `Page Lions ${Date.now()}`;
  const ids: Record<'completed' | 'invalid' | 'failed', string> = { completed: '', invalid: '', failed: '' };

  it('is where the host sends / and lists commands as they arrive, with counts and filters in the URL', async () => {
    const page = await newPage(1440);
    await page.goto(host.url);
    expect(new URL(page.url()).pathname).toBe('/api/ui');
    await page.getByRole('heading', { name: 'Commands' }).waitFor();

    ids.completed = await submit('create-league', { leagueName: league, email: 'hello@lions.example' });
    ids.invalid = await submit('create-league', { leagueName: '' });
    await settled(ids.completed, 'Completed');
    ids.failed = await submit('invite-league-member', { leagueName: league, email: 'ghost@nowhere.invalid' });

    // Live refresh: the rows appear and move on without a reload.
    for (const commandId of Object.values(ids)) await page.locator('#commands a', { hasText: commandId }).waitFor({ timeout: 20_000 });
    const row = (commandId: string) => page.locator('#commands tr', { has: page.locator(`a:text("${commandId}")`) });
    await row(ids.failed).locator('.status-Failed').waitFor({ timeout: 20_000 });
    await row(ids.invalid).locator('.status-Invalid').waitFor();
    await row(ids.completed).locator('.status-Completed').waitFor();
    await page.locator('.counts a', { hasText: 'Failed' }).locator('strong', { hasText: /^1$/ }).waitFor();
    await shot(page, 'ui-list-1440');

    await page.getByLabel('Status', { exact: true }).selectOption('Invalid');
    await page.waitForURL(/status=Invalid/);
    await row(ids.invalid).waitFor();
    await expect(page.locator('#commands tbody tr').count()).resolves.toBe(1);
    await page.close();
  });

  it('is keyboard navigable with labelled controls and fits 360 px', async () => {
    const page = await newPage(360);
    await page.goto(`${host.url}/api/ui`);
    await page.locator('#commands a').first().waitFor();
    await shot(page, 'ui-list-360');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    for (const label of ['Status', 'Command type', 'Per page', 'Refresh live']) await expect(page.getByLabel(label, { exact: true }).count()).resolves.toBe(1);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    await page.close();
  });

  it("opens a Completed command's timeline, and its version slider shows the state as of each version", async () => {
    const page = await newPage(1440);
    await page.goto(`${host.url}/api/ui`);
    await page.locator('#commands a', { hasText: ids.completed }).click();
    await page.waitForURL(new RegExp(`/api/ui/commands/${ids.completed}$`));
    await expect(page.locator('h1').textContent()).resolves.toBe('create-league Completed');
    await expect(page.locator('#events > li').count()).resolves.toBe(5);
    await expect(page.locator('.durations').textContent()).resolves.toMatch(/log → validate: \d.*validate → perform: \d/);
    await expect(page.locator('dl.facts').first().textContent()).resolves.toMatch(/Correlation id.*Trace id[0-9a-f]{32}/);

    const slider = page.getByLabel('Version', { exact: true });
    await slider.focus();
    await page.keyboard.press('Home');
    await page.waitForURL(/asOfVersion=1$/);
    await page.locator('#state .status-Created').waitFor(); // read through the as-of API
    await expect(page.locator('#state').textContent()).resolves.toContain('None set yet.');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.locator('#state dd', { hasText: league }).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.locator('#state .status-Validated').waitFor();
    await shot(page, 'ui-timeline-as-of-1440');
    await page.keyboard.press('End');
    await page.locator('#state .status-Completed').waitFor();
    expect(new URL(page.url()).search).toBe('');

    await page.getByText('Raw JSON of version 5').click();
    await expect(page.locator('#v5 pre').textContent()).resolves.toContain('"type": "CommandCompleted"');
    await shot(page, 'ui-timeline-1440');
    await page.close();
  });

  it('opens an Invalid command with its fatal error apart from warnings, and a Failed one with its code and message', async () => {
    const page = await newPage(360);
    await page.goto(`${host.url}/api/ui/commands/${ids.invalid}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('create-league Invalid');
    await expect(page.locator('#state').textContent()).resolves.toMatch(/Fatal errors \(1\)FatalleagueName/);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    await shot(page, 'ui-timeline-invalid-360');

    await page.goto(`${host.url}/api/ui/commands/${ids.failed}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('invite-league-member Failed');
    await expect(page.locator('#failure').textContent()).resolves.toMatch(/undeliverable_address.*ghost@nowhere\.invalid/);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    await shot(page, 'ui-timeline-failed-360');
    await page.close();
  });

  it("shows the API's error JSON when something fails", async () => {
    const page = await newPage(1440);
    await page.goto(`${host.url}/api/ui/commands/00000000-0000-4000-8000-000000000000`);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/\(404\)[\s\S]*"code": "command_not_found"/);
    await page.close();
  });

  it('opens a dead letter with its reason and description, and resubmits it', async () => {
    const queue = new SqliteQueue(db, { settings: { maxDeliveryCount: 2 } });
    await queue.send('validate', { messageId: 'poison-for-the-page', body: { nope: true } });
    await eventually(() => queue.list('validate'), (letters) => letters.some((l) => l.messageId === 'poison-for-the-page'), 30_000);

    const page = await newPage(1440);
    await page.goto(`${host.url}/api/ui`);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.locator('#dead-letters td', { hasText: 'poison-for-the-page' }).waitFor();
    await page.locator('#dead-letters tr', { hasText: 'poison-for-the-page' }).getByRole('link', { name: /Open dead letter/ }).click();
    await page.waitForURL(/queue=validate.*open=\d+/);
    const letter = page.locator('#dead-letter');
    await expect(letter.textContent()).resolves.toMatch(/Reasoninvalid_step_message.*Not a step message/);
    await shot(page, 'ui-dead-letter-1440');
    await page.getByRole('button', { name: 'Resubmit to the queue' }).click();
    await page.getByRole('status').filter({ hasText: 'Resubmitted dead letter' }).waitFor();
    await page.close();
  });

  it('lists the stalled commands under the dead letters, with what the sweeper did', async () => {
    // A command whose validate message was lost: its events are written, its message is not sent.
    const dropped = { send: async () => undefined };
    const deps = { eventStore: new SqliteEventStore(db), sender: dropped, catalogue: sampleCatalogue(), now: () => new Date(), newId: randomUUID };
    const { commandId } = await logCommand(deps, { commandType: 'create-league', parameters: { leagueName: 'Stalled Stags' }, actor: 'tester', source: 'cli' });
    await eventually(
      async () => ((await (await fetch(`${host.url}/api/stalled-commands`)).json()) as { items: { commandId: string }[] }).items,
      (items) => items.some((item) => item.commandId === commandId),
      20_000,
    );
    const page = await newPage(1440);
    await page.goto(`${host.url}/api/ui/dead-letters`);
    const row = page.locator('#stalled-commands tr', { hasText: commandId });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect([cells[1], cells[2], cells[4], cells[5]]).toEqual(['create-league', 'Created', '0', 'not yet nudged']);
    await expect(row.getByRole('link', { name: commandId }).getAttribute('href')).resolves.toBe(`/api/ui/commands/${commandId}`);
    await page.close();
  });

  it('renders a list of 1,000 commands (measured, printed)', async () => {
    const page = await newPage(1440);
    const items = Array.from({ length: 1000 }, (_, n) => ({
      id: `bench-${n}`,
      commandId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      commandType: 'create-league',
      status: ['Created', 'Validated', 'Completed', 'Invalid', 'Failed'][n % 5],
      actor: 'anonymous',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
      version: 4,
    }));
    let served = items;
    await page.route(/\/api\/ui\/data\/commands\?/, (route) => route.fulfill({ json: { items: served, continuation: null } }));
    await page.goto(`${host.url}/api/ui?live=off`);
    await page.locator('#commands tbody tr').nth(999).waitFor();
    await expect(page.locator('#commands tbody tr').count()).resolves.toBe(1000);
    // Live refresh redraws the rows when they change: the second measure is a redraw of 1,000 rows.
    served = items.map((item) => ({ ...item, version: 5 }));
    await page.getByLabel('Refresh live').check();
    const measures = await eventually(
      () => page.evaluate(() => performance.getEntriesByName('commandflow:render-list').map((entry) => entry.duration)),
      (durations) => durations.length >= 2,
    );
    expect(measures.every((ms) => ms > 0)).toBe(true);
    console.log(
      `The page rendered 1,000 commands in ${measures[0]?.toFixed(1)} ms on a fresh page, and redrew them in ${measures[1]?.toFixed(1)} ms (headless Chromium, this machine).`,
    );
    await page.close();
  });
});
