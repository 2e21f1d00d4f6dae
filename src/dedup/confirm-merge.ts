/**
 * Operator decision: the held record is the same dossier as a candidate (by default the best one).
 * Its sources, aliases and history join the candidate under field authority; its held transfers are
 * cancelled through the outbox; it becomes a tombstone that redirects to the candidate.
 */
import { insertAlias, moveAliases } from '../intake/alias.store.js';
import { applyReconciled } from '../intake/apply-reconciled.js';
import { findDossier, markMerged } from '../intake/dossier.store.js';
import type { WriteContext } from '../intake/intake.context.js';
import { listSources, moveAllSources } from '../intake/source.store.js';
import { Conflict, Validation } from '../lib/errors.js';
import { appendLog } from '../reconciliation/log.js';
import { moveHistory } from './move-history.js';
import { pendingReview } from './pending-review.js';
import { decideReview } from './review.store.js';

export interface MergeDecision {
  reviewId: string;
  actor: string;
  /** The candidate to merge into; default the best-scored one. */
  into?: string | undefined;
}

/** Merges a review's held dossier into the chosen candidate. */
export async function confirmMerge(
  ctx: WriteContext,
  decision: MergeDecision,
): Promise<{ dossierId: string }> {
  const { trx, now } = ctx;
  const { reviewId, actor } = decision;
  const { review, held } = await pendingReview(trx, reviewId);
  const chosen = decision.into ?? review.candidates[0]?.dossierId;
  if (!chosen || !review.candidates.some((c) => c.dossierId === chosen)) {
    throw new Validation([
      {
        path: 'into',
        rule: 'not_a_candidate',
        message: `dossier ${chosen ?? '(none)'} is not a candidate of this review`,
      },
    ]);
  }
  const target = await findDossier(trx, chosen);
  if (!target || target.mergedInto) {
    throw new Conflict(`dossier ${chosen} was itself merged away; decide again`, {
      extra: { dossierId: chosen },
    });
  }
  const sources = await listSources(trx, held.id);
  await moveAllSources(trx, held.id, target.id);
  await moveAliases(trx, held.id, target.id);
  await insertAlias(
    trx,
    { code: held.code, dossierId: target.id, system: sources[0]?.system ?? 'gateway' },
    now,
  );
  // The held dossier's field values join under field authority, as if its sources had pushed them now.
  let current = target;
  for (const src of sources) {
    if (!src.lastInput) continue;
    await applyReconciled(ctx, current, {
      system: src.system,
      recordId: src.recordId,
      status: src.lastInput.status,
      data: src.lastInput.data,
    });
    current = (await findDossier(trx, target.id)) ?? current;
  }
  await moveHistory(ctx, held.id, current);
  await ctx.deps.outbox.cancel(trx, held.id, `merged into ${target.id} by review ${reviewId}`, now);
  await markMerged(trx, held.id, target.id, now);
  await decideReview(trx, reviewId, { state: 'merged', by: actor, decision: { into: target.id } }, now);
  await appendLog(
    trx,
    {
      kind: 'dedup.review_merged',
      actor,
      dossierId: target.id,
      data: { reviewId, merged: held.id, into: target.id },
    },
    now,
  );
  return { dossierId: target.id };
}
