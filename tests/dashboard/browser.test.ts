/**
 * The dashboard in a real browser (docs/dashboard.md): headless Debian chromium driven by
 * playwright-core against a gateway on 127.0.0.1. Sign in, see the dead letter, replay it, watch it
 * delivered, check that pages fit a 1366×768 screen without horizontal scrolling and break no CSP
 * rule, sign out. Without a chromium binary the test is skipped, unless REQUIRE_BROWSER=1 (CI).
 */
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath, type Scenario, startScenario } from './scenario.js';

const executablePath = chromiumPath();
const required = process.env.REQUIRE_BROWSER === '1';

if (!executablePath) {
  console.warn(
    'browser test SKIPPED: no chromium binary (install Debian chromium or set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this a failure)',
  );
}

describe.runIf(!executablePath && required)('the browser test', () => {
  it('needs chromium because REQUIRE_BROWSER=1', () => {
    expect(executablePath, 'REQUIRE_BROWSER=1 but no chromium binary was found').toBeDefined();
  });
});

describe.runIf(!!executablePath)('the dashboard in chromium', () => {
  let browser: Browser;
  let s: Scenario;
  let page: Page;
  const cspErrors: string[] = [];

  beforeAll(async () => {
    s = await startScenario();
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') cspErrors.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  // Runs in the page: no horizontal scrolling at 1366 pixels.
  const fitsTheScreen = () =>
    page.evaluate(
      'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
    ) as Promise<boolean>;

  it('signs in with an operator key and lands on the overview', async () => {
    await page.goto(`${s.url}/ops`);
    expect(new URL(page.url()).pathname).toBe('/ops/sign-in');
    await page.fill('#key', s.h.gw.keys.operator);
    await Promise.all([page.waitForURL(`${s.url}/ops`), page.click('form.signin button')]);
    expect(await page.textContent('h1')).toBe('Tổng quan');
    expect(await page.locator('svg.timeline').count()).toBe(1);
    expect(await fitsTheScreen()).toBe(true);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'lt_ops')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/ops',
    });
  });

  it('shows the dead letter, replays it, and watches it delivered', async () => {
    await page.goto(`${s.url}/ops/dead-letters`);
    const row = page.locator(`#transfer-${s.transferId}`);
    expect(await row.getAttribute('data-state')).toBe('dead');
    expect(await fitsTheScreen()).toBe(true);
    await Promise.all([page.waitForURL(/done=replayed/), row.locator('button').click()]);
    expect(await page.textContent('.flash')).toContain('1 chuyển giao');
    let state: string | null = null;
    for (let i = 0; i < 60 && state !== 'delivered'; i += 1) {
      await page.waitForTimeout(250);
      await page.reload();
      state = await page.locator(`.watch #transfer-${s.transferId}`).getAttribute('data-state');
    }
    expect(state).toBe('delivered');
    expect(await page.locator(`.watch #transfer-${s.transferId} .state`).textContent()).toBe('Đã giao');
  }, 60_000);

  it('shows every page within the screen width', async () => {
    for (const path of ['/ops/reviews', '/ops/log', '/ops/deadlines', '/ops/reports', '/ops/findings']) {
      await page.goto(`${s.url}${path}`);
      expect(await fitsTheScreen(), path).toBe(true);
    }
    await page.goto(`${s.url}/ops/log`);
    await Promise.all([
      page.waitForURL(/\/ops\/log\?done=verified$/),
      page.click('form[action="/ops/log/verify"] button'),
    ]);
    expect(await page.getAttribute('#verdict', 'data-ok')).toBe('true');
  });

  it('downloads the near-due CSV', async () => {
    await page.goto(`${s.url}/ops/deadlines?state=near_due`);
    expect(await page.locator('#by-agency').count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    expect(download.suggestedFilename()).toMatch(/^han-xu-ly-near_due-\d{4}-\d{2}-\d{2}\.csv$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('\r\n');
    expect(text).toContain(s.nearDueCode);
  });

  it('signs out, and the overview asks for a sign-in again', async () => {
    await page.goto(`${s.url}/ops`);
    await Promise.all([page.waitForURL(/sign-in\?done=signed-out/), page.click('form.signout button')]);
    expect(await page.textContent('.flash')).toBe('Đã đăng xuất.');
    await page.goto(`${s.url}/ops`);
    expect(new URL(page.url()).pathname).toBe('/ops/sign-in');
    expect(cspErrors).toEqual([]);
  });
});
