/**
 * Use case: the applicant's SMS notice for a status the dossier just took (docs/sms.md). Called in the
 * transaction of the change, by every path that moves a dossier's status (create, event, re-push,
 * merge). At most one notice per (dossier, event): the `sms_notices` row is reserved first, so a second
 * report of the same event, by the same or another system, or into a merged dossier, finds it taken.
 * The notice goes through the outbox as destination `sms`, held like the dossier's other transfers while
 * it waits for a dedup review, and not due before the quiet hours end. No mobile number, or an opted-out
 * one: nothing is queued and the reason is recorded (row and log entry, references only).
 */
import type { DossierData, DossierStatus } from '../../schemas/dossier.js';
import type { SmsEvent, SmsPayload } from '../../schemas/sms.js';
import type { WriteContext } from '../intake/intake.context.js';
import { appendLog } from '../reconciliation/log.js';
import { mobileOf } from './mobile.js';
import { reserveNotice, setNoticeOutcome } from './notice.store.js';
import { isOptedOut } from './optout.store.js';
import { outsideQuietHours } from './quiet-hours.js';
import { renderNotice } from './render.js';

/** The dossier as the notice needs it: its canonical id, code, hold and data. */
export interface NoticeDossier {
  id: string;
  code: string;
  held: boolean;
  data: DossierData;
}

/** The notice event of a status, or undefined when that status sends none. */
export function noticeEvent(status: DossierStatus, data: DossierData): SmsEvent | undefined {
  switch (status) {
    case 'received':
    case 'supplement_requested':
    case 'returned':
      return status;
    case 'resolved':
      return data.resultReturn.method === 'postal' ? 'resolved_postal' : 'resolved_counter';
    default:
      return undefined;
  }
}

/** The key a notice is unique on: both resolved variants are one event of the dossier. */
function uniqueEvent(event: SmsEvent): string {
  return event.startsWith('resolved') ? 'resolved' : event;
}

/** Queues the notice for `status`, or records why there is none; does nothing when SMS is off. */
export async function notifyApplicant(
  ctx: WriteContext,
  dossier: NoticeDossier,
  status: DossierStatus,
): Promise<void> {
  const event = noticeEvent(status, dossier.data);
  if (event) await queueNotice(ctx, dossier, event);
}

/**
 * The notice of `event` for the dossier, once: reserved first, then queued, or skipped with the reason
 * recorded. `tracking` fills the `{tracking}` of the postal template. Nothing when SMS is off.
 */
export async function queueNotice(
  ctx: WriteContext,
  dossier: NoticeDossier,
  event: SmsEvent,
  tracking?: string,
): Promise<void> {
  const sms = ctx.deps.sms;
  if (!sms) return;
  const { trx, now } = ctx;
  const key = { dossierId: dossier.id, event: uniqueEvent(event) };
  if (!(await reserveNotice(trx, key.dossierId, key.event, now))) return;
  const mobile = mobileOf(dossier.data.applicant.phone);
  let reason: string | undefined = mobile.ok ? undefined : mobile.reason;
  if (mobile.ok && (await isOptedOut(trx, sms.digest(mobile.phone)))) reason = 'opted_out';
  if (!mobile.ok || reason) {
    await setNoticeOutcome(trx, key, { outcome: reason ?? 'no_phone' });
    const data = { event, reason };
    await appendLog(trx, { kind: 'sms.skipped', actor: 'gateway', dossierId: dossier.id, data }, now);
    return;
  }
  const rendered = renderNotice(sms.render, event, dossier.code, tracking);
  const payload: SmsPayload = {
    to: mobile.phone,
    ...rendered,
    event,
    code: dossier.code,
    reference: `sms:${dossier.id}:${key.event}`,
  };
  const dueAtMs = outsideQuietHours(sms.quiet, now);
  const transferId = await ctx.deps.outbox.enqueue(
    trx,
    { destination: 'sms', kind: 'notice', dossierId: dossier.id, held: dossier.held, payload, dueAtMs },
    now,
  );
  await setNoticeOutcome(trx, key, {
    outcome: 'queued',
    transferId,
    encoding: rendered.encoding,
    segments: rendered.segments,
  });
}
