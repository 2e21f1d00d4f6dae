/**
 * The retention job (docs/privacy.md): deletes Idempotency-Key answers older than their TTL (each holds
 * a whole dossier as it was answered) and empties the frozen payloads of finished transfers older than
 * the raw-data retention, in small batches, each in its own short transaction. Run by the Node
 * runtime's housekeeping loop and by `lienthong retention run`.
 */
import type { Store } from '../store/store.js';
import {
  deleteIdempotencyKeysBefore,
  emptyTransferPayloads,
  selectPurgeableTransferIds,
} from './retention.store.js';

export interface RetentionPolicy {
  /** Idempotency-Key answers are kept this long (IDEMPOTENCY_TTL_HOURS). */
  idempotencyMs: number;
  /** Payloads of finished transfers are kept this long (RETENTION_DAYS_RAW). */
  rawMs: number;
}

export interface RetentionResult {
  idempotencyKeys: number;
  transferPayloads: number;
}

/** Transfers emptied per transaction. */
const BATCH = 500;

/** Applies the policy as of `now`; returns how many rows it deleted or emptied. */
export async function runRetention(
  store: Pick<Store, 'db' | 'transaction'>,
  policy: RetentionPolicy,
  now: number,
): Promise<RetentionResult> {
  const idempotencyKeys = await store.transaction((trx) =>
    deleteIdempotencyKeysBefore(trx, now - policy.idempotencyMs),
  );
  const cutoff = now - policy.rawMs;
  let transferPayloads = 0;
  for (;;) {
    const ids = await selectPurgeableTransferIds(store.db, cutoff, BATCH);
    if (ids.length === 0) break;
    const emptied = await store.transaction((trx) => emptyTransferPayloads(trx, ids, cutoff));
    transferPayloads += emptied;
    if (emptied === 0 || ids.length < BATCH) break;
  }
  return { idempotencyKeys, transferPayloads };
}
