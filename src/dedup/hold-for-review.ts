/**
 * A possible dual entry that is not certain: the record is kept as a dossier of its own, held (its
 * transfers wait), with a review for an operator listing the candidates and why (docs/dedup.md). The
 * review keeps every candidate for the operators; the pusher's answer names only those it may see
 * (docs/architecture.md, trust rules).
 */
import { type Created, createDossier } from '../intake/create-dossier.js';
import type { DossierRecord } from '../intake/dossier.row.js';
import type { PushContext } from '../intake/intake.context.js';
import { maySee } from '../intake/scope.js';
import { newId } from '../lib/crypto.js';
import { appendLog } from '../reconciliation/log.js';
import type { Candidate } from './matcher.js';
import { insertReview } from './review.store.js';

export interface Held extends Omit<Created, 'outcome'> {
  outcome: 'held_for_review';
  /** The review item and the candidates the pusher may see. */
  review: { id: string; candidates: Candidate[] };
}

/**
 * Writes the pushed record as a held dossier and opens its review. `dossiers` holds the candidates'
 * dossiers as the matcher read them; a candidate without one is named to nobody but the operators.
 */
export async function holdForReview(
  ctx: PushContext,
  candidates: Candidate[],
  dossiers: ReadonlyMap<string, DossierRecord>,
): Promise<Held> {
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
  const visible: Candidate[] = [];
  for (const c of candidates) {
    const dossier = dossiers.get(c.dossierId);
    if (dossier && (await maySee(ctx.trx, ctx.principal, dossier))) visible.push(c);
  }
  return { ...created, outcome: 'held_for_review', review: { id: reviewId, candidates: visible } };
}
