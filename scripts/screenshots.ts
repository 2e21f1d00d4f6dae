/**
 * `npm run screenshots`: the dashboard's main pages at 1366×768 in headless chromium, into
 * docs/screenshots/*.png (docs/dashboard.md). It starts the same gateway as the browser test (a dead
 * letter, a dossier held for review, near-due and overdue dossiers, a reconciliation run), signs in and
 * photographs each page. Needs a chromium binary (Debian `chromium`, or CHROMIUM_PATH).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { heldDualEntry } from '../tests/dashboard/dashboard-fixture.js';
import { CHROMIUM_ARGS, chromiumPath, startScenario } from '../tests/dashboard/scenario.js';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');

const PAGES: [string, string][] = [
  ['overview', '/ops'],
  ['dead-letters', '/ops/dead-letters'],
  ['reviews', '/ops/reviews'],
  ['deadlines', '/ops/deadlines'],
  ['reports', '/ops/reports'],
  ['findings', '/ops/findings'],
  ['log', '/ops/log'],
];

const executablePath = chromiumPath();
if (!executablePath) {
  process.stderr.write('screenshots: no chromium binary (install Debian chromium or set CHROMIUM_PATH)\n');
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const s = await startScenario();
const { gw } = s.h;
await heldDualEntry(gw);
const run = await gw.request('POST', '/v1/ops/reconciliation/runs', { key: gw.keys.operator, body: {} });
const { id } = (await run.json()) as { id: string };
for (let i = 0; i < 100; i += 1) {
  const r = await gw.request('GET', `/v1/ops/reconciliation/runs/${id}`, { key: gw.keys.operator });
  if (((await r.json()) as { state: string }).state !== 'running') break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(`${s.url}/ops/sign-in`);
  await page.screenshot({ path: join(OUT, 'sign-in.png') });
  await page.fill('#key', gw.keys.operator);
  await Promise.all([page.waitForURL(`${s.url}/ops`), page.click('form.signin button')]);
  await page.goto(`${s.url}/ops/log`);
  await Promise.all([page.waitForURL(/done=verified/), page.click('form[action="/ops/log/verify"] button')]);
  for (const [name, path] of PAGES) {
    await page.goto(`${s.url}${path}`);
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    process.stdout.write(`screenshots: ${name}.png\n`);
  }
} finally {
  await browser.close();
  await s.close();
}
