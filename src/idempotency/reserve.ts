/**
 * Reserving an Idempotency-Key before its request runs (docs/api-errors.md). In one transaction:
 * purge expired keys when due, then decide. A new (or expired) key is reserved and the request
 * proceeds; the same key with another request is a mismatch; a completed key replays its answer; a
 * key still locked by a running request is busy; a key whose request died unanswered (its lock ran
 * out, or the process that reserved it is gone: `boot.ts`) is taken over by this retry.
 */
import type { Db, Store } from '../store/store.js';
import { bootIsAlive } from './boot.js';
import { extendKeyLock, findKey, type StoredKey, upsertReservedKey } from './idempotency.store.js';
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
  /** The boot of the process that serves the request; stored with the reservation (none on Workers). */
  bootId?: string | undefined;
  /** This process's host, and how to tell that a process of this host has ended (Node only). */
  here?: { host: string; gone: (pid: number) => boolean } | undefined;
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
      ownerBoot: r.bootId,
    });
    return { kind: 'proceed' };
  }
  if (stored.requestHash !== r.requestHash) return { kind: 'mismatch' };
  if (stored.state === 'completed' && stored.responseStatus !== null && stored.responseBody !== null) {
    return { kind: 'replay', status: stored.responseStatus, body: stored.responseBody };
  }
  if (await stillRunning(db, stored, r)) return { kind: 'busy' };
  // The first attempt died without an answer: this retry takes the key over.
  await extendKeyLock(db, r.clientId, r.key, r.nowMs + LOCK_MS, r.bootId);
  return { kind: 'proceed' };
}

/**
 * Whether the request that reserved an unanswered key may still be running: its lock has not run out,
 * and it is this process's own, or its process's boot is alive. A key without an owner (reserved
 * before boots existed) waits for its lock.
 */
async function stillRunning(db: Db, stored: StoredKey, r: KeyRequest): Promise<boolean> {
  if (stored.lockedUntilMs <= r.nowMs) return false;
  if (stored.ownerBoot === null || stored.ownerBoot === r.bootId) return true;
  return bootIsAlive(db, stored.ownerBoot, r.nowMs, r.here);
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
