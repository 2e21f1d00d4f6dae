/**
 * The dashboard's sessions and form protection through `app.request` (docs/dashboard.md): the cookie's
 * flags, who may sign in, sign-out, a revoked key, the idle timeout, throttled guesses, CSRF refusals
 * and the security headers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { count, createTestGateway, type TestGateway, testClock } from '../helpers/gateway.js';
import { get, post, sessionCookieOf, signIn } from './dashboard-fixture.js';

let gw: TestGateway;
afterEach(async () => {
  await gw?.close();
});

describe('signing in', () => {
  it('turns an operator key into an HttpOnly, SameSite=Strict session cookie on /ops, not Secure over plain HTTP', async () => {
    gw = await createTestGateway();
    const res = await post(gw, '/ops/sign-in', { key: gw.keys.operator });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/ops');
    const cookie = sessionCookieOf(res);
    expect(cookie?.header).toMatch(/; HttpOnly/);
    expect(cookie?.header).toMatch(/; SameSite=Strict/);
    expect(cookie?.header).toMatch(/; Path=\/ops/);
    expect(cookie?.header).not.toMatch(/Secure/);
    expect(count(gw, 'ops_sessions')).toBe(1);
    // Only the session id's hash is stored.
    const stored = gw.sqlite.prepare('SELECT id_hash FROM ops_sessions').pluck().get() as string;
    expect(cookie?.pair).not.toContain(stored);
    const page = await get(gw, '/ops', cookie?.pair);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Tổng quan');
  });

  it('marks the cookie Secure over TLS, behind a trusted gateway that says so, or when the setting says always', async () => {
    gw = await createTestGateway();
    const tls = await post(
      gw,
      '/ops/sign-in',
      { key: gw.keys.operator },
      { url: 'https://localhost/ops/sign-in', headers: { Origin: 'https://localhost' } },
    );
    expect(sessionCookieOf(tls)?.header).toMatch(/; Secure/);
    // X-Forwarded-Proto is ignored unless OPS_TRUST_PROXY=true.
    const untrusted = await post(
      gw,
      '/ops/sign-in',
      { key: gw.keys.operator },
      { headers: { 'X-Forwarded-Proto': 'https' } },
    );
    expect(sessionCookieOf(untrusted)?.header).not.toMatch(/Secure/);
    await gw.close();
    gw = await createTestGateway({ env: { OPS_TRUST_PROXY: 'true' } });
    const proxied = await post(
      gw,
      '/ops/sign-in',
      { key: gw.keys.operator },
      { headers: { 'X-Forwarded-Proto': 'https', Origin: 'https://localhost' } },
    );
    expect(sessionCookieOf(proxied)?.header).toMatch(/; Secure/);
    await gw.close();
    gw = await createTestGateway({ env: { OPS_COOKIE_SECURE: 'true' } });
    const always = await post(gw, '/ops/sign-in', { key: gw.keys.operator });
    expect(sessionCookieOf(always)?.header).toMatch(/; Secure/);
  });

  it('refuses keys of other roles, unknown keys and revoked keys, without a cookie', async () => {
    gw = await createTestGateway();
    for (const key of [gw.keys.motcua, gw.keys.admin, gw.keys.postal, 'lt_not-a-key']) {
      const res = await post(gw, '/ops/sign-in', { key });
      expect(res.status).toBe(401);
      expect(sessionCookieOf(res)).toBeUndefined();
      expect(await res.text()).toContain('không phải khóa của nhân viên vận hành');
    }
    expect(count(gw, 'ops_sessions')).toBe(0);
  });

  it('refuses every sign-in from an address after too many failures, even with the right key', async () => {
    gw = await createTestGateway({ env: { OPS_SIGNIN_MAX_FAILURES: '3' } });
    for (let i = 0; i < 3; i += 1)
      expect((await post(gw, '/ops/sign-in', { key: 'lt_wrong' })).status).toBe(401);
    const res = await post(gw, '/ops/sign-in', { key: gw.keys.operator });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it('refuses a sign-in form posted from another site', async () => {
    gw = await createTestGateway();
    const res = await post(
      gw,
      '/ops/sign-in',
      { key: gw.keys.operator },
      { headers: { Origin: 'http://evil.example' } },
    );
    expect(res.status).toBe(403);
    expect(sessionCookieOf(res)).toBeUndefined();
  });
});

describe('a session', () => {
  it('is needed for every page: without one, pages redirect to the sign-in page and posts are refused', async () => {
    gw = await createTestGateway();
    for (const path of ['/ops', '/ops/dead-letters', '/ops/reviews', '/ops/log', '/ops/deadlines']) {
      const res = await get(gw, path);
      expect(res.status).toBe(303);
      expect(res.headers.get('Location')).toBe('/ops/sign-in');
    }
    expect((await get(gw, '/ops', 'lt_ops=forged-session-id-0123456789')).status).toBe(303);
    expect((await post(gw, '/ops/log/verify', { csrf: 'x' })).status).toBe(401);
  });

  it('ends at sign-out: the row is deleted and the old cookie opens nothing', async () => {
    gw = await createTestGateway();
    const s = await signIn(gw);
    const out = await post(gw, '/ops/sign-out', { csrf: s.csrf }, { cookie: s.cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('Location')).toBe('/ops/sign-in?done=signed-out');
    expect(sessionCookieOf(out)?.header).toMatch(/Max-Age=0/);
    expect(count(gw, 'ops_sessions')).toBe(0);
    expect((await get(gw, '/ops', s.cookie)).status).toBe(303);
  });

  it('ends when its key is revoked', async () => {
    gw = await createTestGateway();
    const s = await signIn(gw);
    const operator = (await gw.services.clients.list()).find((c) => c.role === 'operator');
    await gw.services.clients.revoke(operator?.id ?? '');
    expect((await get(gw, '/ops', s.cookie)).status).toBe(303);
    expect(count(gw, 'ops_sessions')).toBe(0);
  });

  it('ends after the idle timeout, and is kept alive by use', async () => {
    const base = testClock();
    let shift = 0;
    gw = await createTestGateway({
      clock: { now: () => base.now() + shift },
      env: { OPS_SESSION_IDLE_MINUTES: '30' },
    });
    const s = await signIn(gw);
    shift = 20 * 60_000;
    expect((await get(gw, '/ops', s.cookie)).status).toBe(200);
    shift = 45 * 60_000; // 25 minutes after the last use
    expect((await get(gw, '/ops', s.cookie)).status).toBe(200);
    shift = 80 * 60_000; // 35 minutes after the last use
    expect((await get(gw, '/ops', s.cookie)).status).toBe(303);
    expect(count(gw, 'ops_sessions')).toBe(0);
  });
});

describe('form posts', () => {
  it('are refused without the session token, with a wrong one, or from another origin', async () => {
    gw = await createTestGateway();
    const s = await signIn(gw);
    const verify = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      post(gw, '/ops/log/verify', fields, { cookie: s.cookie, headers });
    expect((await verify({})).status).toBe(403);
    expect((await verify({ csrf: '0'.repeat(64) })).status).toBe(403);
    expect((await verify({ csrf: s.csrf }, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await verify({ csrf: s.csrf }, { Origin: 'null' })).status).toBe(403);
    expect((await verify({ csrf: s.csrf }, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await verify({ csrf: s.csrf }, { 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    // Another session's token does not fit this session.
    const other = await signIn(gw);
    expect((await verify({ csrf: other.csrf })).status).toBe(403);
    const ok = await verify({ csrf: s.csrf });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('Location')).toBe('/ops/log?done=verified');
  });

  it('without Origin pass only when the browser says Sec-Fetch-Site: same-origin', async () => {
    gw = await createTestGateway();
    const s = await signIn(gw);
    const bare = (headers: Record<string, string>) =>
      gw.app.request('/ops/log/verify', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: s.cookie, ...headers },
        body: `csrf=${s.csrf}`,
      });
    expect((await bare({})).status).toBe(403);
    expect((await bare({ 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
  });
});

describe('pages', () => {
  it('carry a strict CSP with no inline script or style, and no external asset', async () => {
    gw = await createTestGateway();
    const s = await signIn(gw);
    for (const path of [
      '/ops/sign-in',
      '/ops',
      '/ops/dead-letters',
      '/ops/reviews',
      '/ops/log',
      '/ops/findings',
    ]) {
      const res = await get(gw, path, s.cookie);
      expect(res.status).toBe(200);
      const csp = res.headers.get('Content-Security-Policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      const html = await res.text();
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).not.toMatch(/<script|style=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      expect(html).toContain('lang="vi"');
      expect(html.normalize('NFC')).toBe(html);
    }
    const css = await get(gw, '/ops/static/dashboard.css');
    expect(css.headers.get('Content-Type')).toContain('text/css');
  });

  it('refuse unknown query parameters', async () => {
    gw = await createTestGateway();
    const s = await signIn(gw);
    const res = await get(gw, '/ops/dead-letters?nope=1', s.cookie);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('nope');
  });
});
