/** Use case: an operator removes an opt-out, by its id (the digest) or by the number; logged by id. */
import { NotFound } from '../lib/errors.js';
import { appendLog } from '../reconciliation/log.js';
import { normalisedPhone, type OptOutContext } from './add-optout.js';
import { deleteOptOut } from './optout.store.js';

export async function removeOptOut(
  ctx: OptOutContext,
  by: { id: string } | { phone: string },
): Promise<void> {
  const id = 'id' in by ? by.id : ctx.digest(normalisedPhone(by.phone));
  if (!(await deleteOptOut(ctx.trx, id))) throw new NotFound('no such opt-out');
  await appendLog(ctx.trx, { kind: 'sms.optout_removed', actor: ctx.actor, data: { id } }, ctx.now);
}
