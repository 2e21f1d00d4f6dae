/**
 * The dashboard's HTTP edge (docs/dashboard.md): the session cookie and its flags, the request's own
 * origin and source address (behind a trusted gateway: the X-Forwarded-* headers), the CSRF checks and
 * the security headers of every page. Only HTTP is translated here; the sessions are the use cases
 * beside it (sign-in.ts, resolve-session.ts, sign-out.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { OpsDashboardConfig } from '../../schemas/config.js';
import type { AppEnv } from '../http/context.js';
import { sha256Hex } from '../lib/crypto.js';
import type { DashboardSession } from './resolve-session.js';

export const COOKIE = 'lt_ops';
export const COOKIE_PATH = '/ops';

export type DashEnv = {
  Variables: AppEnv['Variables'] & { session: DashboardSession };
};

/** No scripts at all; styles only from the gateway's own stylesheet route; forms post only here. */
export const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const opsConfig = (c: Context): OpsDashboardConfig => (c as Context<AppEnv>).get('services').config.ops;

/** The first value of a comma-separated forwarded header, when the gateway in front is trusted. */
function forwarded(c: Context, name: string): string | undefined {
  if (!opsConfig(c).trustProxy) return undefined;
  const v = c.req.header(name)?.split(',')[0]?.trim();
  return v ? v : undefined;
}

/** True when the browser reached the gateway over TLS (directly, or through a trusted gateway). */
export function overTls(c: Context): boolean {
  const proto = forwarded(c, 'X-Forwarded-Proto');
  if (proto) return proto.toLowerCase() === 'https';
  return new URL(c.req.url).protocol === 'https:';
}

/** The origin the browser sees this gateway at, to compare with a form post's `Origin`. */
export function ownOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const host = forwarded(c, 'X-Forwarded-Host') ?? c.req.header('Host') ?? url.host;
  return `${overTls(c) ? 'https' : 'http'}://${host}`;
}

/** Where a sign-in attempt came from, for counting failures. */
export function sourceAddress(c: Context): string {
  const fromProxy = forwarded(c, 'X-Forwarded-For');
  if (fromProxy) return fromProxy.slice(0, 100);
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? c.req.header('CF-Connecting-IP') ?? 'unknown';
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/ops, Secure over TLS (or always, by setting). */
export function setSessionCookie(c: Context, sessionId: string, expiresAtMs: number): void {
  const mode = opsConfig(c).cookieSecure;
  setCookie(c, COOKIE, sessionId, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    secure: mode === 'true' || (mode === 'auto' && overTls(c)),
    expires: new Date(expiresAtMs),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, COOKIE, { path: COOKIE_PATH });
}

export function sessionCookie(c: Context): string | undefined {
  const v = getCookie(c, COOKIE);
  return v && /^[\w-]{20,100}$/.test(v) ? v : undefined;
}

/**
 * A form post must come from this site: its `Origin` must be this gateway's own, or, without an
 * `Origin`, the browser must say `Sec-Fetch-Site: same-origin`. A cross-site `Sec-Fetch-Site` is
 * refused whatever the `Origin` says.
 */
export function sameOriginPost(c: Context): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = c.req.header('Origin');
  if (origin !== undefined) return origin === ownOrigin(c);
  return site === 'same-origin';
}

/** Compares two tokens in constant time (their digests, so lengths do not leak either). */
export function tokensMatch(given: string, expected: string): boolean {
  const a = sha256Hex(given);
  const b = sha256Hex(expected);
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Security headers of every dashboard answer: the strict CSP and no caching. The app's `no-referrer`
 * header stays; each page sets `same-origin` in a meta tag (pages/layout.tsx), since with `no-referrer`
 * a browser sends `Origin: null` on the page's own form posts, which the origin check refuses.
 */
export function pageHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
  };
}
