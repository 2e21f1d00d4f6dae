/** Rows of `log_checkpoints`: signed checkpoints of the reconciliation log (migration 0007). */
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { LogCheckpointTable } from '../store/tables.js';

/** A checkpoint as the log's use cases see it. */
export interface Checkpoint {
  seq: number;
  entryId: number;
  entryHash: string;
  atMs: number;
  mac: string;
}

const toCheckpoint = (r: LogCheckpointTable): Checkpoint => ({
  seq: r.seq,
  entryId: r.entry_id,
  entryHash: r.entry_hash,
  atMs: r.at_ms,
  mac: r.mac,
});

/** Adds one checkpoint; its sequence number is the primary key, so two writers cannot both add #n. */
export async function insertCheckpoint(db: Db, c: Checkpoint): Promise<void> {
  await db
    .insertInto('log_checkpoints')
    .values({ seq: c.seq, entry_id: c.entryId, entry_hash: c.entryHash, at_ms: c.atMs, mac: c.mac })
    .execute();
}

/** The newest `n` checkpoints, newest first. */
export async function findLastCheckpoints(db: Db, n: number): Promise<Checkpoint[]> {
  const rows = await db
    .selectFrom('log_checkpoints')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(literalLimit(n))
    .execute();
  return rows.map(toCheckpoint);
}

/** Up to `limit` checkpoints with seq > `afterSeq`, in seq order. */
export async function listCheckpointsAfter(db: Db, afterSeq: number, limit: number): Promise<Checkpoint[]> {
  const rows = await db
    .selectFrom('log_checkpoints')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(literalLimit(limit))
    .execute();
  return rows.map(toCheckpoint);
}
