/**
 * What the outage timeline reads (docs/dashboard.md, Outage timeline): the delivery attempts the
 * reconciliation log holds (`transfer.attempt` entries), counted per destination and time bucket. The
 * log is only read here; its `data` column is the canonical JSON its hash covers, read with
 * `json_extract` and never rewritten.
 */
import { sql } from 'kysely';
import type { Db } from '../store/store.js';

export interface AttemptBucket {
  destination: string;
  /** Bucket number from the window's start. */
  bucket: number;
  delivered: number;
  /** Attempts that failed as an outage does: rescheduled (`retry`) or a configuration fault. */
  failed: number;
}

/**
 * Attempts at or after `fromMs`, from log entry `fromId` on, grouped by destination and by buckets of
 * `bucketMs`. `fromId` bounds the scan by the primary key (the log has no index on time).
 */
export async function countAttemptsByBucket(
  db: Db,
  o: { fromId: number; fromMs: number; bucketMs: number },
): Promise<AttemptBucket[]> {
  const rows = await db
    .selectFrom('reconciliation_log')
    .select([
      sql<string>`json_extract(data, '$.destination')`.as('destination'),
      sql<number>`(at_ms - ${o.fromMs}) / ${o.bucketMs}`.as('bucket'),
      sql<number>`sum(json_extract(data, '$.outcome') = 'delivered')`.as('delivered'),
      sql<number>`sum(json_extract(data, '$.outcome') in ('retry', 'config_fault'))`.as('failed'),
    ])
    .where('id', '>=', o.fromId)
    .where('kind', '=', 'transfer.attempt')
    .where('at_ms', '>=', o.fromMs)
    .groupBy(['destination', 'bucket'])
    .orderBy('destination')
    .orderBy('bucket')
    .execute();
  return rows.map((r) => ({
    destination: String(r.destination),
    bucket: Number(r.bucket),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
  }));
}
