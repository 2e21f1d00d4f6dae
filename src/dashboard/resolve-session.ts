/**
 * Use case: the operator behind a dashboard cookie, or none (docs/dashboard.md, Sessions). A session
 * ends at its absolute end, after the idle timeout, and as soon as its key is revoked or its client is
 * no longer an operator: such a session is deleted on sight, and with it every session of that client.
 */
import type { OpsDashboardConfig } from '../../schemas/config.js';
import type { Clients, Principal } from '../clients/client.js';
import { sha256Hex } from '../lib/crypto.js';
import type { Db } from '../store/store.js';
import { deleteClientSessions, deleteSession, findSession, touchSession } from './session.store.js';

/** The last use is written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface ResolveContext {
  db: Db;
  clients: Pick<Clients, 'get'>;
  config: Pick<OpsDashboardConfig, 'idleMs'>;
  now: number;
}

export interface DashboardSession {
  principal: Principal;
  /** The form token of this session (docs/dashboard.md, CSRF). */
  csrfToken: string;
  idHash: string;
}

/** The form token of a session: derived from its id, so it is never stored and never guessable. */
export function csrfTokenOf(sessionId: string): string {
  return sha256Hex(`ops-csrf\n${sessionId}`);
}

/** The signed-in operator of `sessionId`, or undefined when the session is unknown or over. */
export async function resolveSession(
  ctx: ResolveContext,
  sessionId: string,
): Promise<DashboardSession | undefined> {
  const { db, now } = ctx;
  const idHash = sha256Hex(sessionId);
  const session = await findSession(db, idHash);
  if (!session) return undefined;
  if (session.expiresAtMs <= now || session.lastSeenAtMs + ctx.config.idleMs <= now) {
    await deleteSession(db, idHash);
    return undefined;
  }
  const client = await ctx.clients.get(session.clientId);
  if (!client || client.revokedAt !== null || client.role !== 'operator') {
    await deleteClientSessions(db, session.clientId);
    return undefined;
  }
  if (now - session.lastSeenAtMs >= TOUCH_EVERY_MS) await touchSession(db, idHash, now);
  return {
    principal: {
      id: client.id,
      name: client.name,
      role: client.role,
      system: client.system,
      agencies: client.agencies,
    },
    csrfToken: csrfTokenOf(sessionId),
    idHash,
  };
}
