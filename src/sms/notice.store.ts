/**
 * `sms_notices`: one row per (dossier, event). Reserving the row first is what makes a second notice
 * impossible (the primary key), in the transaction of the change that causes it. One function per statement.
 */
import { prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { SmsNoticeTable } from '../store/tables.js';

export type NoticeRow = SmsNoticeTable;

// Both run in the unit of work of every change that texts the applicant: built once (docs/architecture.md).
const insertReserved = prepared<{ dossierId: string; event: string; now: number }>()((db, p) =>
  db
    .insertInto('sms_notices')
    .values({ dossier_id: p.dossierId, event: p.event, outcome: 'reserved', created_at_ms: p.now })
    .onConflict((oc) => oc.columns(['dossier_id', 'event']).doNothing())
    .returning('dossier_id'),
);

const updateOutcome = prepared<{
  dossierId: string;
  event: string;
  outcome: string;
  transferId: number | null;
  encoding: string | null;
  segments: number | null;
}>()((db, p) =>
  db
    .updateTable('sms_notices')
    .set({ outcome: p.outcome, transfer_id: p.transferId, encoding: p.encoding, segments: p.segments })
    .where('dossier_id', '=', p.dossierId)
    .where('event', '=', p.event),
);

/** Reserves the notice of (dossier, event); false when it was reserved before. */
export async function reserveNotice(db: Db, dossierId: string, event: string, now: number): Promise<boolean> {
  return (await insertReserved.first(db, { dossierId, event, now })) !== undefined;
}

/** Writes what became of a reserved notice. */
export async function setNoticeOutcome(
  db: Db,
  key: { dossierId: string; event: string },
  o: { outcome: string; transferId?: number; encoding?: string; segments?: number },
): Promise<void> {
  await updateOutcome.run(db, {
    dossierId: key.dossierId,
    event: key.event,
    outcome: o.outcome,
    transferId: o.transferId ?? null,
    encoding: o.encoding ?? null,
    segments: o.segments ?? null,
  });
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
