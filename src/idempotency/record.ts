/** Recording the answer of an Idempotency-Key's request, inside the transaction that did its work. */
import type { Db } from '../store/store.js';
import { completeKey } from './idempotency.store.js';

/** Stores `status` and `body` (the exact answer text) for the key; a retry replays them. */
export async function recordAnswer(
  db: Db,
  clientId: string,
  key: string,
  status: number,
  body: string,
): Promise<void> {
  await completeKey(db, clientId, key, status, body);
}
