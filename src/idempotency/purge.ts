/**
 * Purging expired Idempotency-Keys. Keys are kept at least the configured TTL; older ones are deleted
 * at most once a minute per process, inside the reservation's transaction.
 */
import type { Db } from '../store/store.js';
import { deleteKeysCreatedBefore } from './idempotency.store.js';

export const PURGE_EVERY_MS = 60_000;

/** Remembers when this process last purged, so a purge runs at most once per `everyMs`. */
export interface PurgeSchedule {
  /** Deletes the keys created before `cutoffMs` when the last purge is more than `everyMs` old. */
  purgeIfDue(db: Db, nowMs: number, cutoffMs: number): Promise<boolean>;
}

export function purgeSchedule(everyMs = PURGE_EVERY_MS): PurgeSchedule {
  let lastPurge = 0;
  return {
    async purgeIfDue(db, nowMs, cutoffMs) {
      if (nowMs - lastPurge <= everyMs) return false;
      lastPurge = nowMs;
      await deleteKeysCreatedBefore(db, cutoffMs);
      return true;
    },
  };
}
