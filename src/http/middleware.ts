/** Cross-cutting middleware: request ids, one access-log line per request, API-key authentication. */
import type { MiddlewareHandler } from 'hono';
import { requestId as honoRequestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import type { Role } from '../../schemas/client.js';
import type { AppEnv } from './context.js';
import { ApiError } from './errors.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** The caller's id is kept when it is 1–128 letters, digits, `_ . : -` (README, operator notes). */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's request id when it follows the rule above, otherwise a new UUID. */
export function pickRequestId(given: string | undefined): string {
  return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/**
 * Takes `X-Request-Id` from the caller when it is sane, or makes one; echoes it on every answer.
 * hono's middleware accepts other characters (letters, digits, `_ - =`, up to 255), so it is told to
 * read no header and our generator applies the rule; the header is set here, before and after the
 * handlers, so problem answers and 404s carry it too.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  const assign = honoRequestId({
    headerName: '',
    generator: (c) => pickRequestId(c.req.header(REQUEST_ID_HEADER)),
  });
  return (c, next) =>
    assign(c, async () => {
      const id = c.get('requestId');
      c.header(REQUEST_ID_HEADER, id);
      await next();
      c.header(REQUEST_ID_HEADER, id);
    });
}

/** One structured line per request: request id, client, route, status, duration. */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const principal = c.get('principal');
    const { logger } = c.get('services');
    const status = c.res.status;
    const line = {
      requestId: c.get('requestId'),
      client: principal ? { id: principal.id, name: principal.name, role: principal.role } : null,
      method: c.req.method,
      route: routePath(c),
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    if (status >= 500) logger.error('request', line);
    else logger.info('request', line);
  };
}

/** Requires `Authorization: Bearer <api key>` and resolves it to a principal. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization');
    if (!header) {
      throw new ApiError(
        'unauthorized',
        'missing Authorization header: send "Authorization: Bearer <api key>"',
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1])
      throw new ApiError('unauthorized', 'the Authorization header must be "Bearer <api key>"');
    const principal = await c.get('services').clients.authenticate(match[1]);
    if (!principal) throw new ApiError('unauthorized', 'the API key is unknown or revoked');
    c.set('principal', principal);
    await next();
  };
}

/** Allows only the given roles on the routes it guards. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new ApiError('unauthorized');
    if (!roles.includes(principal.role)) {
      throw new ApiError(
        'forbidden',
        `role ${principal.role} may not use this route (needs ${roles.join(' or ')})`,
      );
    }
    await next();
  };
}
