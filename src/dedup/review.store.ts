/**
 * The dedup review queue's rows (`dedup_reviews`): one named function per statement. Candidates and
 * decisions are JSON columns, decoded here and nowhere else.
 */
import { sql } from 'kysely';
import type { Db } from '../store/store.js';

/** How many reviews wait for an operator. */
export async function countPendingReviews(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dedup_reviews')
    .select(sql<number>`count(*)`.as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
