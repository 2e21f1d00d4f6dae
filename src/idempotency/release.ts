/** Freeing an Idempotency-Key whose request stored no answer (it failed), so a retry can run. */
import type { Db } from '../store/store.js';
import { deleteInProgressKey } from './idempotency.store.js';

/** Deletes the key if it is still in progress; a completed key (and its answer) stays. */
export async function releaseKey(db: Db, clientId: string, key: string): Promise<void> {
  await deleteInProgressKey(db, clientId, key);
}
