/** Operator decision: the held record is a dossier of its own; its hold ends and its transfers go out. */
import { clearHold } from '../intake/dossier.store.js';
import type { WriteContext } from '../intake/intake.context.js';
import { appendLog } from '../reconciliation/log.js';
import { pendingReview } from './pending-review.js';
import { decideReview } from './review.store.js';

/** Keeps the held dossier of a review apart from its candidates. */
export async function keepApart(
  ctx: WriteContext,
  decision: { reviewId: string; actor: string },
): Promise<{ dossierId: string }> {
  const { trx, now } = ctx;
  const { held } = await pendingReview(trx, decision.reviewId);
  await clearHold(trx, held.id, now);
  await ctx.deps.outbox.release(trx, held.id, now);
  await decideReview(
    trx,
    decision.reviewId,
    { state: 'kept_apart', by: decision.actor, decision: { keptApart: true } },
    now,
  );
  await appendLog(
    trx,
    {
      kind: 'dedup.review_kept_apart',
      actor: decision.actor,
      dossierId: held.id,
      data: { reviewId: decision.reviewId },
    },
    now,
  );
  return { dossierId: held.id };
}
