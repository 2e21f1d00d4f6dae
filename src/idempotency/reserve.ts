/**
 * Reserving an Idempotency-Key before its request runs (docs/api-errors.md). In one transaction:
 * purge expired keys when due, then decide. A new (or expired) key is reserved and the request
 * proceeds; the same key with another request is a mismatch; a completed key replays its answer; a
 * key still locked by a running request is busy; a key whose request died unanswered (lock run out)
 * is taken over by this retry.
 */
import type { Db, Store } from '../store/store.js';
import { extendKeyLock, findKey, upsertReservedKey } from './idempotency.store.js';
import type { PurgeSchedule } from './purge.js';

/** How long a reservation blocks retries before one may take the key over. */
export const LOCK_MS = 60_000;

export interface KeyRequest {
  clientId: string;
  key: string;
  /** Hash of the request (method, path and body): the same key must come with the same request. */
  requestHash: string;
  nowMs: number;
  /** Keys older than this are expired and may be reserved anew. */
  ttlMs: number;
}

export type Reservation =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'mismatch' }
  | { kind: 'busy' };

/** Decides what a request with an Idempotency-Key does, reserving or taking over the key when it proceeds. */
export async function decideReservation(db: Db, r: KeyRequest): Promise<Reservation> {
  const cutoff = r.nowMs - r.ttlMs;
  const stored = await findKey(db, r.clientId, r.key);
  if (!stored || stored.createdAtMs < cutoff) {
    await upsertReservedKey(db, {
      clientId: r.clientId,
      key: r.key,
      requestHash: r.requestHash,
      nowMs: r.nowMs,
      lockedUntilMs: r.nowMs + LOCK_MS,
    });
    return { kind: 'proceed' };
  }
  if (stored.requestHash !== r.requestHash) return { kind: 'mismatch' };
  if (stored.state === 'completed' && stored.responseStatus !== null && stored.responseBody !== null) {
    return { kind: 'replay', status: stored.responseStatus, body: stored.responseBody };
  }
  if (stored.lockedUntilMs > r.nowMs) return { kind: 'busy' };
  // The first attempt died without an answer: this retry takes the key over.
  await extendKeyLock(db, r.clientId, r.key, r.nowMs + LOCK_MS);
  return { kind: 'proceed' };
}

/** Purges expired keys when due, then decides, in one transaction. */
export function reserveKey(
  store: Pick<Store, 'transaction'>,
  request: KeyRequest,
  purge?: PurgeSchedule,
): Promise<Reservation> {
  return store.transaction(async (trx) => {
    await purge?.purgeIfDue(trx, request.nowMs, request.nowMs - request.ttlMs);
    return decideReservation(trx, request);
  });
}
