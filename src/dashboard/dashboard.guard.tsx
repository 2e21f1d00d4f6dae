/**
 * The dashboard's guards (docs/dashboard.md): a signed-in session for every page but the sign-in page
 * and the stylesheet, and on every form post the same-origin check and the session's form token.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { z } from 'zod';
import { fromDomainError } from '../http/errors.js';
import { DomainError } from '../lib/errors.js';
import {
  clearSessionCookie,
  type DashEnv,
  sameOriginPost,
  sessionCookie,
  tokensMatch,
} from './dashboard.http.js';
import { ErrorPage } from './pages/error.js';
import type { Viewer } from './pages/layout.js';
import { resolveSession } from './resolve-session.js';

/** Writes a page with its doctype. */
export async function render(c: Context, status: number, page: JSX.Element): Promise<Response> {
  return c.html(`<!doctype html>${await page.toString()}`, status as 200);
}

export const viewerOf = (c: Context<DashEnv>): Viewer => {
  const s = c.get('session');
  return { name: s.principal.name, csrfToken: s.csrfToken };
};

/** A refusal page: the status and a sentence. */
export function refuse(c: Context<DashEnv>, status: number, text: string): Promise<Response> {
  const session = c.get('session') as DashEnv['Variables']['session'] | undefined;
  const viewer = session ? viewerOf(c) : undefined;
  return render(c, status, <ErrorPage viewer={viewer} title="Không thực hiện được" text={text} />);
}

/** Every page but sign-in and the stylesheet needs a live session of an operator. */
export function requireSession(): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    const { store, clients, config, clock } = c.get('services');
    const raw = sessionCookie(c);
    const session = raw
      ? await resolveSession({ db: store.db, clients, config: config.ops, now: clock.now() }, raw)
      : undefined;
    if (!session) {
      if (raw) clearSessionCookie(c);
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect('/ops/sign-in', 303);
      return refuse(c, 401, 'Phiên đăng nhập đã hết hoặc không hợp lệ. Hãy đăng nhập lại.');
    }
    c.set('session', session);
    c.set('principal', session.principal);
    await next();
  };
}

/** A form post must come from this site and carry the session's form token. */
export function requireCsrf(): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    if (!sameOriginPost(c))
      return refuse(c, 403, 'Yêu cầu bị từ chối: biểu mẫu không được gửi từ trang này.');
    const form = await c.req.parseBody();
    const token = form.csrf;
    if (typeof token !== 'string' || !tokensMatch(token, c.get('session').csrfToken)) {
      return refuse(
        c,
        403,
        'Yêu cầu bị từ chối: mã bảo vệ biểu mẫu không đúng. Hãy tải lại trang và thử lại.',
      );
    }
    await next();
  };
}

/** Parses a query or form with its schema; a refusal names each field and rule. */
export function parsed<T extends z.ZodType>(
  schema: T,
  input: unknown,
): { ok: true; value: z.output<T> } | { ok: false; text: string } {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const fields = r.error.issues.map((i) => `${i.path.join('.') || '(biểu mẫu)'}: ${i.message}`);
  return { ok: false, text: `Dữ liệu không hợp lệ — ${fields.join('; ')}` };
}

/** Runs an action; a domain error becomes a refusal page with its status and sentence. */
export async function acting(c: Context<DashEnv>, action: () => Promise<Response>): Promise<Response> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const api = fromDomainError(error);
    return refuse(c, api.status, `Không thực hiện được (${api.code}): ${api.message}`);
  }
}
