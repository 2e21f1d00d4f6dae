/** Rows of `log_verifications` (migration 0014): each verification asked through the API, the last one shown. */
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';

export interface VerificationRecord {
  id: number;
  atMs: number;
  ok: boolean;
  /** The answer's JSON as it was given. */
  result: string;
  requestedBy: string;
}

export async function insertVerification(db: Db, v: Omit<VerificationRecord, 'id'>): Promise<number> {
  const row = await db
    .insertInto('log_verifications')
    .values({ at_ms: v.atMs, ok: v.ok ? 1 : 0, result: v.result, requested_by: v.requestedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findLastVerification(db: Db): Promise<VerificationRecord | undefined> {
  const row = await db
    .selectFrom('log_verifications')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(literalLimit(1))
    .executeTakeFirst();
  return row
    ? { id: row.id, atMs: row.at_ms, ok: row.ok === 1, result: row.result, requestedBy: row.requested_by }
    : undefined;
}
