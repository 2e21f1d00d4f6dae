/**
 * A possible dual entry that is not certain: the record is kept as a dossier of its own, held (its
 * transfers wait), with a review for an operator listing the candidates and why (docs/dedup.md).
 */
import { type Created, createDossier } from '../intake/create-dossier.js';
import type { PushContext } from '../intake/intake.context.js';
import { newId } from '../lib/crypto.js';
import { appendLog } from '../reconciliation/log.js';
import type { Candidate } from './matcher.js';
import { insertReview } from './review.store.js';

export interface Held extends Omit<Created, 'outcome'> {
  outcome: 'held_for_review';
  /** The review item and its candidates. */
  review: { id: string; candidates: Candidate[] };
}

/** Writes the pushed record as a held dossier and opens its review. */
export async function holdForReview(ctx: PushContext, candidates: Candidate[]): Promise<Held> {
  const created = await createDossier(ctx, { held: true });
  const reviewId = newId();
  await insertReview(ctx.trx, { id: reviewId, dossierId: created.dossierId, candidates }, ctx.now);
  await appendLog(
    ctx.trx,
    {
      kind: 'dedup.held_for_review',
      actor: ctx.system,
      dossierId: created.dossierId,
      data: { reviewId, candidates: candidates.map((c) => ({ id: c.dossierId, score: c.score })) },
    },
    ctx.now,
  );
  return { ...created, outcome: 'held_for_review', review: { id: reviewId, candidates } };
}
