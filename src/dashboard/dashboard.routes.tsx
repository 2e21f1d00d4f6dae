/**
 * The operators' dashboard at /ops (docs/dashboard.md): server-rendered pages in Vietnamese, a session
 * cookie made from an operator's API key, CSRF-safe forms. Each handler only translates HTTP and calls
 * the use case the API uses for the same thing.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { actorOf } from '../http/context.js';
import { lastVerification } from '../reconciliation/last-verification.js';
import { verifyLogNow } from '../reconciliation/verify-log-now.js';
import { destinationHealth } from '../transfers/destination-health.js';
import { registerActions } from './dashboard.actions.js';
import { DASHBOARD_CSS } from './dashboard.css.js';
import { registerFigurePages } from './dashboard.figures.js';
import { doneText, PageQuery, SignInForm } from './dashboard.forms.js';
import { parsed, refuse, render, requireCsrf, requireSession, viewerOf } from './dashboard.guard.js';
import {
  clearSessionCookie,
  type DashEnv,
  pageHeaders,
  sameOriginPost,
  setSessionCookie,
  sourceAddress,
} from './dashboard.http.js';
import { registerTransferPages } from './dashboard.transfers.js';
import { FAVICON_SVG } from './favicon.js';
import { outageTimeline } from './outage-timeline.js';
import { vnTime } from './pages/format.js';
import type { Flash } from './pages/layout.js';
import { LogPage } from './pages/log.js';
import { OverviewPage } from './pages/overview.js';
import { SignInPage } from './pages/sign-in.js';
import { signIn } from './sign-in.js';
import { signOut } from './sign-out.js';

const flashOf = (text: string | undefined): Flash | undefined => (text ? { kind: 'ok', text } : undefined);

function registerSignIn(app: Hono<DashEnv>): void {
  app.get('/ops/static/dashboard.css', (c) =>
    c.body(DASHBOARD_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
  );
  app.get('/ops/static/favicon.svg', (c) => c.body(FAVICON_SVG, 200, { 'Content-Type': 'image/svg+xml' }));
  app.get('/ops/sign-in', async (c) => {
    const q = parsed(PageQuery, c.req.query());
    if (!q.ok) return render(c, 400, <SignInPage flash={{ kind: 'error', text: q.text }} />);
    return render(c, 200, <SignInPage flash={flashOf(doneText(q.value))} />);
  });
  app.post('/ops/sign-in', async (c) => {
    if (!sameOriginPost(c))
      return refuse(c, 403, 'Yêu cầu bị từ chối: biểu mẫu không được gửi từ trang này.');
    const form = parsed(SignInForm, await c.req.parseBody());
    if (!form.ok) return render(c, 400, <SignInPage flash={{ kind: 'error', text: 'Hãy nhập khóa API.' }} />);
    const { store, clients, config, clock } = c.get('services');
    const ctx = { db: store.db, clients, config: config.ops, now: clock.now(), address: sourceAddress(c) };
    const r = await signIn(ctx, form.value.key);
    if (r.kind === 'throttled') {
      c.header('Retry-After', String(Math.max(1, Math.ceil((r.retryAtMs - ctx.now) / 1000))));
      const text = `Đăng nhập sai quá nhiều lần. Hãy thử lại sau ${vnTime(r.retryAtMs)}.`;
      return render(c, 429, <SignInPage flash={{ kind: 'error', text }} />);
    }
    if (r.kind === 'refused') {
      const text = 'Khóa không đúng, đã bị thu hồi, hoặc không phải khóa của nhân viên vận hành.';
      return render(c, 401, <SignInPage flash={{ kind: 'error', text }} />);
    }
    setSessionCookie(c, r.sessionId, r.expiresAtMs);
    return c.redirect('/ops', 303);
  });
}

function registerPages(app: Hono<DashEnv>): void {
  app.get('/ops', async (c) => {
    const q = parsed(PageQuery, c.req.query());
    if (!q.ok) return refuse(c, 400, q.text);
    const { store, clock } = c.get('services');
    const now = clock.now();
    const health = await destinationHealth(store.db, now);
    const names = [
      ...health.destinations.map((d) => d.name),
      health.sms.name,
      ...health.departments.map((d) => d.name),
    ];
    const timeline = await outageTimeline(store.db, now, names);
    const page = (
      <OverviewPage
        viewer={viewerOf(c)}
        health={health}
        timeline={timeline}
        flash={flashOf(doneText(q.value))}
      />
    );
    return render(c, 200, page);
  });
  app.get('/ops/log', async (c) => {
    const q = parsed(PageQuery, c.req.query());
    if (!q.ok) return refuse(c, 400, q.text);
    const last = await lastVerification(c.get('services').store.db);
    const text = doneText(q.value);
    const flash = text ? { kind: q.value.done === 'verify-failed' ? 'error' : 'ok', text } : undefined;
    return render(c, 200, <LogPage viewer={viewerOf(c)} last={last} flash={flash as Flash | undefined} />);
  });
  app.post('/ops/log/verify', async (c) => {
    const { store, clock, intake } = c.get('services');
    const v = await verifyLogNow(store, intake.logKey, actorOf(c.get('principal')), () => clock.now());
    return c.redirect(`/ops/log?done=${v.ok ? 'verified' : 'verify-failed'}`, 303);
  });
  app.post('/ops/sign-out', async (c) => {
    await signOut(c.get('services').store.db, c.get('session').idHash);
    clearSessionCookie(c);
    return c.redirect('/ops/sign-in?done=signed-out', 303);
  });
}

/** The dashboard sub-app, mounted at the root by `createApp`. */
export function dashboardRoutes(): Hono<DashEnv> {
  const app = new Hono<DashEnv>();
  app.use('/ops/*', pageHeaders());
  app.use(
    '/ops/*',
    bodyLimit({ maxSize: 64 * 1024, onError: (c) => refuse(c as never, 413, 'Biểu mẫu quá lớn.') }),
  );
  registerSignIn(app);
  app.use('/ops/*', requireSession());
  app.use('/ops/*', requireCsrf());
  registerPages(app);
  registerTransferPages(app);
  registerFigurePages(app);
  registerActions(app);
  return app;
}
