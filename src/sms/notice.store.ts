/**
 * `sms_notices`: one row per (dossier, event). Reserving the row first is what makes a second notice
 * impossible (the primary key), in the transaction of the change that causes it. One function per statement.
 */
import type { Db } from '../store/store.js';
import type { SmsNoticeTable } from '../store/tables.js';

export type NoticeRow = SmsNoticeTable;

/** Reserves the notice of (dossier, event); false when it was reserved before. */
export async function reserveNotice(db: Db, dossierId: string, event: string, now: number): Promise<boolean> {
  const row = await db
    .insertInto('sms_notices')
    .values({ dossier_id: dossierId, event, outcome: 'reserved', created_at_ms: now })
    .onConflict((oc) => oc.columns(['dossier_id', 'event']).doNothing())
    .returning('dossier_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Writes what became of a reserved notice. */
export async function setNoticeOutcome(
  db: Db,
  key: { dossierId: string; event: string },
  o: { outcome: string; transferId?: number; encoding?: string; segments?: number },
): Promise<void> {
  await db
    .updateTable('sms_notices')
    .set({
      outcome: o.outcome,
      transfer_id: o.transferId ?? null,
      encoding: o.encoding ?? null,
      segments: o.segments ?? null,
    })
    .where('dossier_id', '=', key.dossierId)
    .where('event', '=', key.event)
    .execute();
}

/** A dossier's notices, in the order they were made. */
export async function noticesOf(db: Db, dossierId: string): Promise<NoticeRow[]> {
  return db
    .selectFrom('sms_notices')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('created_at_ms')
    .orderBy('event')
    .execute();
}
