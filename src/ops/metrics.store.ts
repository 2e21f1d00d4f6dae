/** What `/metrics` reads from the store on each scrape (docs/reconciliation.md, Metrics): grouped counts only. */
import { sql } from 'kysely';
import type { Db } from '../store/store.js';

/** Transfers still queued, per destination and state, with the oldest one's queueing time. */
export async function queuedByDestination(
  db: Db,
): Promise<{ destination: string; state: string; n: number; oldest: number | null }[]> {
  return db
    .selectFrom('transfers')
    .select([
      'destination',
      'state',
      sql<number>`count(*)`.as('n'),
      sql<number | null>`min(created_at_ms)`.as('oldest'),
    ])
    .where('state', 'in', ['pending', 'in_flight', 'dead', 'held'])
    .groupBy(['destination', 'state'])
    .execute();
}

/** Each destination's circuit. */
export async function circuits(db: Db): Promise<{ name: string; circuit: string }[]> {
  return db.selectFrom('destinations').select(['name', 'circuit']).execute();
}

/** Postal jobs per state. */
export async function postalJobsByState(db: Db): Promise<{ state: string; n: number }[]> {
  return db
    .selectFrom('postal_jobs')
    .select(['state', sql<number>`count(*)`.as('n')])
    .groupBy('state')
    .execute();
}

/** Dedup reviews per state. */
export async function reviewsByState(db: Db): Promise<{ state: string; n: number }[]> {
  return db
    .selectFrom('dedup_reviews')
    .select(['state', sql<number>`count(*)`.as('n')])
    .groupBy('state')
    .execute();
}
