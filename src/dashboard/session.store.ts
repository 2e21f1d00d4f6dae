/**
 * Dashboard sessions and failed sign-ins (migration 0015, docs/dashboard.md). A session is found by the
 * SHA-256 of its id; the id itself lives only in the browser's cookie.
 */
import type { Db } from '../store/store.js';

export interface OpsSession {
  idHash: string;
  clientId: string;
  createdAtMs: number;
  lastSeenAtMs: number;
  expiresAtMs: number;
}

/** Inserts one session. */
export async function insertSession(db: Db, s: OpsSession): Promise<void> {
  await db
    .insertInto('ops_sessions')
    .values({
      id_hash: s.idHash,
      client_id: s.clientId,
      created_at_ms: s.createdAtMs,
      last_seen_at_ms: s.lastSeenAtMs,
      expires_at_ms: s.expiresAtMs,
    })
    .execute();
}

/** The session whose id hashes to `idHash`, if any. */
export async function findSession(db: Db, idHash: string): Promise<OpsSession | undefined> {
  const row = await db
    .selectFrom('ops_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  return row
    ? {
        idHash: row.id_hash,
        clientId: row.client_id,
        createdAtMs: row.created_at_ms,
        lastSeenAtMs: row.last_seen_at_ms,
        expiresAtMs: row.expires_at_ms,
      }
    : undefined;
}

/** Marks a session used at `nowMs` (the idle timeout restarts). */
export async function touchSession(db: Db, idHash: string, nowMs: number): Promise<void> {
  await db
    .updateTable('ops_sessions')
    .set({ last_seen_at_ms: nowMs })
    .where('id_hash', '=', idHash)
    .execute();
}

/** Deletes one session. */
export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('ops_sessions').where('id_hash', '=', idHash).execute();
}

/** Deletes every session of a client (its key was revoked). */
export async function deleteClientSessions(db: Db, clientId: string): Promise<number> {
  const r = await db.deleteFrom('ops_sessions').where('client_id', '=', clientId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes sessions past their end or idle longer than `idleMs` at `nowMs`. */
export async function deleteStaleSessions(db: Db, nowMs: number, idleMs: number): Promise<void> {
  await db
    .deleteFrom('ops_sessions')
    .where((eb) => eb.or([eb('expires_at_ms', '<=', nowMs), eb('last_seen_at_ms', '<=', nowMs - idleMs)]))
    .execute();
}

/** Records one failed sign-in from `address`, and forgets those older than `sinceMs`. */
export async function recordSigninFailure(
  db: Db,
  address: string,
  nowMs: number,
  sinceMs: number,
): Promise<void> {
  await db.deleteFrom('ops_signin_failures').where('at_ms', '<', sinceMs).execute();
  await db.insertInto('ops_signin_failures').values({ address, at_ms: nowMs }).execute();
}

/** How many sign-ins failed from `address` since `sinceMs`, and the oldest of them. */
export async function countSigninFailures(
  db: Db,
  address: string,
  sinceMs: number,
): Promise<{ n: number; oldestMs: number | null }> {
  const row = await db
    .selectFrom('ops_signin_failures')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('at_ms').as('oldest')])
    .where('address', '=', address)
    .where('at_ms', '>=', sinceMs)
    .executeTakeFirst();
  return { n: Number(row?.n ?? 0), oldestMs: row?.oldest ?? null };
}
