/**
 * Use case: an operator opts a phone number out of SMS notices (docs/sms.md, Opt-out). The number is
 * normalised to +84 and kept only as a keyed digest, with its last three digits masked as a hint; the
 * reconciliation log gets the digest, never the number. Adding a number twice changes nothing.
 */
import { checkPhone } from '../../schemas/identifiers.js';
import { Validation } from '../lib/errors.js';
import { appendLog } from '../reconciliation/log.js';
import type { Trx } from '../store/store.js';
import { insertOptOut, type OptOutRow } from './optout.store.js';
import { type OptOutView, optOutView } from './optout.view.js';

export interface OptOutContext {
  trx: Trx;
  /** The opt-out id of a normalised number (`SmsSettings.digest`). */
  digest: (phone: string) => string;
  actor: string;
  now: number;
}

/** The +84 form of a phone number, or a validation error that does not repeat it. */
export function normalisedPhone(phone: string): string {
  const checked = checkPhone(phone);
  if (!checked.ok) {
    throw new Validation([{ path: 'phone', rule: checked.rule, message: 'not a Vietnamese phone number' }]);
  }
  return checked.value;
}

export async function addOptOut(
  ctx: OptOutContext,
  input: { phone: string; note?: string | undefined },
): Promise<{ created: boolean; optOut: OptOutView }> {
  const phone = normalisedPhone(input.phone);
  const row: OptOutRow = {
    id: ctx.digest(phone),
    hint: `***${phone.slice(-3)}`,
    note: input.note?.normalize('NFC') ?? null,
    created_at_ms: ctx.now,
    created_by: ctx.actor,
  };
  const created = await insertOptOut(ctx.trx, row);
  if (created) {
    await appendLog(ctx.trx, { kind: 'sms.optout_added', actor: ctx.actor, data: { id: row.id } }, ctx.now);
  }
  return { created, optOut: optOutView(row) };
}
