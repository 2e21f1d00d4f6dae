/** Verifying the reconciliation log: walks the whole chain in id order, a page at a time. */
import type { Db } from '../store/store.js';
import { entryHash, GENESIS_HASH } from './hash.js';
import { findLogEntriesFrom } from './log.store.js';

export type VerifyResult =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/** Walks the whole chain in id order and names the first entry that does not verify. */
export async function verifyLog(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let count = 0;
  for (;;) {
    const rows = await findLogEntriesFrom(db, expectedId, pageSize);
    if (rows.length === 0) return { ok: true, entries: count };
    for (const row of rows) {
      if (row.id !== expectedId) {
        return { ok: false, entries: count, brokenAt: expectedId, reason: `entry ${expectedId} is missing` };
      }
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          entries: count,
          brokenAt: row.id,
          reason: 'prev_hash does not match the entry before',
        };
      }
      if (entryHash(prevHash, row) !== row.hash) {
        return { ok: false, entries: count, brokenAt: row.id, reason: 'content does not match its hash' };
      }
      prevHash = row.hash;
      expectedId += 1;
      count += 1;
    }
  }
}
