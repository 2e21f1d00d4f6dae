/**
 * Use case: an operator signs in to the dashboard with an API key (docs/dashboard.md, Sessions). Only a
 * key of role `operator` opens a session; a wrong key or another role counts as a failed sign-in of the
 * source address, and after too many in a window the address is refused until the window moves on.
 */
import type { OpsDashboardConfig } from '../../schemas/config.js';
import type { Clients } from '../clients/client.js';
import { randomToken, sha256Hex } from '../lib/crypto.js';
import type { Db } from '../store/store.js';
import {
  countSigninFailures,
  deleteStaleSessions,
  insertSession,
  recordSigninFailure,
} from './session.store.js';

/** Failed sign-ins are counted over this window. */
export const SIGNIN_WINDOW_MS = 15 * 60_000;

export interface SignInContext {
  db: Db;
  clients: Pick<Clients, 'authenticate'>;
  config: Pick<OpsDashboardConfig, 'sessionMs' | 'idleMs' | 'signinMaxFailures'>;
  now: number;
  /** Where the attempt came from (docs/dashboard.md, Settings: OPS_TRUST_PROXY). */
  address: string;
}

export type SignInResult =
  | { kind: 'ok'; sessionId: string; expiresAtMs: number }
  | { kind: 'refused'; reason: 'unknown_key' | 'not_operator' }
  | { kind: 'throttled'; retryAtMs: number };

/** Opens a session for the key's operator, or says why not. */
export async function signIn(ctx: SignInContext, key: string): Promise<SignInResult> {
  const { db, now, address, config } = ctx;
  const since = now - SIGNIN_WINDOW_MS;
  const failures = await countSigninFailures(db, address, since);
  if (failures.n >= config.signinMaxFailures) {
    return { kind: 'throttled', retryAtMs: (failures.oldestMs ?? now) + SIGNIN_WINDOW_MS };
  }
  const principal = await ctx.clients.authenticate(key.trim());
  if (principal?.role !== 'operator') {
    await recordSigninFailure(db, address, now, since);
    return { kind: 'refused', reason: principal ? 'not_operator' : 'unknown_key' };
  }
  await deleteStaleSessions(db, now, config.idleMs);
  const sessionId = randomToken(32);
  const expiresAtMs = now + config.sessionMs;
  await insertSession(db, {
    idHash: sha256Hex(sessionId),
    clientId: principal.id,
    createdAtMs: now,
    lastSeenAtMs: now,
    expiresAtMs,
  });
  return { kind: 'ok', sessionId, expiresAtMs };
}
