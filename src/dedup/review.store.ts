/**
 * The dedup review queue's rows (`dedup_reviews`): one named function per statement. Candidates and
 * decisions are JSON columns, decoded here and nowhere else.
 */
import { sql } from 'kysely';
import { decodeJsonColumn, StoredCandidatesSchema, StoredDecisionSchema } from '../../schemas/stored.js';
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { DedupReviewTable } from '../store/tables.js';
import type { Candidate } from './matcher.js';

export type ReviewState = DedupReviewTable['state'];

export interface ReviewRecord {
  id: string;
  dossierId: string;
  candidates: Candidate[];
  state: ReviewState;
  createdAtMs: number;
  decidedAtMs: number | null;
  decidedBy: string | null;
  decision: Record<string, unknown> | null;
}

function fromRow(row: DedupReviewTable): ReviewRecord {
  return {
    id: row.id,
    dossierId: row.dossier_id,
    candidates: decodeJsonColumn<Candidate[]>(StoredCandidatesSchema, 'review candidates', row.candidates),
    state: row.state,
    createdAtMs: row.created_at_ms,
    decidedAtMs: row.decided_at_ms,
    decidedBy: row.decided_by,
    decision: row.decision
      ? decodeJsonColumn<Record<string, unknown>>(StoredDecisionSchema, 'review decision', row.decision)
      : null,
  };
}

/** Opens a pending review of a held dossier. */
export async function insertReview(
  db: Db,
  r: { id: string; dossierId: string; candidates: Candidate[] },
  now: number,
): Promise<void> {
  await db
    .insertInto('dedup_reviews')
    .values({
      id: r.id,
      dossier_id: r.dossierId,
      candidates: JSON.stringify(r.candidates),
      state: 'pending',
      created_at_ms: now,
      decided_at_ms: null,
      decided_by: null,
      decision: null,
    })
    .execute();
}

/** One review by id. */
export async function findReview(db: Db, id: string): Promise<ReviewRecord | undefined> {
  const row = await db.selectFrom('dedup_reviews').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Reviews in a state, oldest first. */
export async function listReviews(db: Db, state: ReviewState, limit: number): Promise<ReviewRecord[]> {
  const rows = await db
    .selectFrom('dedup_reviews')
    .selectAll()
    .where('state', '=', state)
    .orderBy('created_at_ms')
    .limit(literalLimit(limit))
    .execute();
  return rows.map(fromRow);
}

/** Records an operator's decision on a review. */
export async function decideReview(
  db: Db,
  id: string,
  d: { state: Exclude<ReviewState, 'pending'>; by: string; decision: Record<string, unknown> },
  now: number,
): Promise<void> {
  await db
    .updateTable('dedup_reviews')
    .set({ state: d.state, decided_at_ms: now, decided_by: d.by, decision: JSON.stringify(d.decision) })
    .where('id', '=', id)
    .execute();
}

/** How many reviews wait for an operator. */
export async function countPendingReviews(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dedup_reviews')
    .select(sql<number>`count(*)`.as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
