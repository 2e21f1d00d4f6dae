/** Verifying the reconciliation log: walks the chain in id order, a page at a time. */
import type { Db } from '../store/store.js';
import { entryHash, GENESIS_HASH } from './hash.js';
import { findLogEntriesFrom } from './log.store.js';

export type VerifyResult =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/** Where a walk starts: the first entry's id and the hash of the entry before it. */
export interface ChainStart {
  id: number;
  prevHash: string;
}

const FROM_GENESIS: ChainStart = { id: 1, prevHash: GENESIS_HASH };

/**
 * Walks the chain from `start` up to entry `untilId` (the end of the log when absent) and names the
 * first entry that does not verify.
 */
export async function verifyChain(
  db: Db,
  start: ChainStart = FROM_GENESIS,
  o: { pageSize?: number; untilId?: number } = {},
): Promise<VerifyResult> {
  const pageSize = o.pageSize ?? 5000;
  const untilId = o.untilId ?? Number.POSITIVE_INFINITY;
  let prevHash = start.prevHash;
  let expectedId = start.id;
  let count = 0;
  for (;;) {
    if (expectedId > untilId) return { ok: true, entries: count };
    const rows = await findLogEntriesFrom(db, expectedId, pageSize);
    if (rows.length === 0) return { ok: true, entries: count };
    for (const row of rows) {
      if (row.id > untilId) return { ok: true, entries: count };
      const broken = (reason: string, at = row.id) =>
        ({ ok: false, entries: count, brokenAt: at, reason }) as const;
      if (row.id !== expectedId) return broken(`entry ${expectedId} is missing`, expectedId);
      if (row.prev_hash !== prevHash) return broken('prev_hash does not match the entry before');
      if (entryHash(prevHash, row) !== row.hash) return broken('content does not match its hash');
      prevHash = row.hash;
      expectedId += 1;
      count += 1;
    }
  }
}

/** Walks the whole chain in id order and names the first entry that does not verify. */
export async function verifyLog(db: Db, pageSize = 5000): Promise<VerifyResult> {
  return verifyChain(db, FROM_GENESIS, { pageSize });
}
