/**
 * Use case (the hook for the postal part of issue #13): the applicant's notice that the result is on its
 * way, with the postal tracking number, once per dossier (docs/sms.md, The tracking number). To be called
 * in the transaction where the postal service's acceptance of the dossier's `return` job is recorded,
 * with the canonical dossier. Nothing when SMS is off; a number that is not a valid S10 number is refused.
 */
import { checkS10 } from '../../schemas/identifiers.js';
import type { WriteContext } from '../intake/intake.context.js';
import { Validation } from '../lib/errors.js';
import { type NoticeDossier, queueNotice } from './notify-applicant.js';

export async function notifyPostalAccepted(
  ctx: WriteContext,
  dossier: NoticeDossier,
  trackingNumber: string,
): Promise<void> {
  const checked = checkS10(trackingNumber);
  if (!checked.ok) {
    throw new Validation([{ path: 'trackingNumber', rule: checked.rule, message: checked.message }]);
  }
  await queueNotice(ctx, dossier, 'postal_accepted', checked.value);
}
