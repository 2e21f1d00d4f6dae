/** Tracking events of postal jobs (docs/postal.md): each (job, type, time) stored once. */
import type { PostalEventType } from '../../schemas/postal.js';
import type { Db } from '../store/store.js';

export interface NewPostalEvent {
  jobId: string;
  type: PostalEventType;
  atMs: number;
  at: string;
  recipientName: string | undefined;
  reason: string | undefined;
  applied: boolean;
  now: number;
}

/** True when the same event (job, type, time) is already stored. */
export async function hasPostalEvent(db: Db, jobId: string, type: string, atMs: number): Promise<boolean> {
  const row = await db
    .selectFrom('postal_events')
    .select('id')
    .where('job_id', '=', jobId)
    .where('type', '=', type)
    .where('at_ms', '=', atMs)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPostalEvent(db: Db, e: NewPostalEvent): Promise<number> {
  const row = await db
    .insertInto('postal_events')
    .values({
      job_id: e.jobId,
      type: e.type,
      at_ms: e.atMs,
      at: e.at,
      recipient_name: e.recipientName ?? null,
      reason: e.reason ?? null,
      applied: e.applied ? 1 : 0,
      recorded_at_ms: e.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
