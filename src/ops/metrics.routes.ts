/**
 * `/metrics` (docs/reconciliation.md, Metrics), outside `/v1` and its API keys: guarded by
 * `Authorization: Bearer <METRICS_TOKEN>` when the token is set (compared in constant time), open
 * otherwise. `501` where the runtime wired no metrics (Workers). Also the middleware that times each
 * request by its route pattern, never the raw path.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { sha256Hex } from '../lib/crypto.js';
import { sameMac } from '../reconciliation/log-key.js';

/** The route pattern that answered: the last matched route that is not a middleware (`ALL`). */
function routeOf(c: Context<AppEnv>): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i];
    if (r && r.method !== 'ALL') return r.path;
  }
  return 'unmatched';
}

export function timeRequests(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const metrics = c.get('services').metrics;
    if (!metrics) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(c.req.method, routeOf(c), c.res.status, (performance.now() - started) / 1000);
    }
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7) : '';
  return sameMac(sha256Hex(given), sha256Hex(token));
}

export async function metricsHandler(c: Context<AppEnv>): Promise<Response> {
  const { metrics, config } = c.get('services');
  if (
    config.metricsToken !== undefined &&
    !tokenMatches(c.req.header('authorization'), config.metricsToken)
  ) {
    c.header('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new ApiError(
      'unauthorized',
      'the metrics token is required: Authorization: Bearer <METRICS_TOKEN>',
    );
  }
  if (!metrics) throw new ApiError('not_implemented', 'metrics need the Node runtime here');
  const { contentType, body } = await metrics.render();
  return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
}
