/**
 * `GET /healthz`: the process answers, and whether its storage takes writes. It reads nothing from
 * the database; it reports what the store last saw (`src/store/storage.ts`): `unavailable`, with `503`,
 * from a write refused for a full disk or a storage error until the next write that commits
 * (docs/api-errors.md, `storage_unavailable`).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../http/context.js';
import { toVnIso } from '../lib/time.js';

export function healthz(c: Context<AppEnv>): Response {
  const status = c.get('services').store.storage?.();
  const storage = {
    state: status?.state ?? 'ok',
    lastErrorAt: status?.lastErrorAt ? toVnIso(status.lastErrorAt) : null,
    lastError: status?.lastError ?? null,
  };
  if (storage.state === 'unavailable') return c.json({ status: 'unavailable', storage }, 503);
  return c.json({ status: 'ok', storage }, 200);
}
