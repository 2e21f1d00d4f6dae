/** Loads a review an operator is about to decide: it must exist and still be pending. */
import type { DossierRecord } from '../intake/dossier.row.js';
import { findDossier } from '../intake/dossier.store.js';
import { Conflict, NotFound } from '../lib/errors.js';
import type { Db } from '../store/store.js';
import { findReview, type ReviewRecord } from './review.store.js';

/** The pending review and its held dossier; NotFound or Conflict otherwise. */
export async function pendingReview(
  db: Db,
  reviewId: string,
): Promise<{ review: ReviewRecord; held: DossierRecord }> {
  const review = await findReview(db, reviewId);
  if (!review) throw new NotFound(`no review ${reviewId}`);
  if (review.state !== 'pending') {
    throw new Conflict(`review ${reviewId} was already decided (${review.state})`, {
      extra: { state: review.state },
    });
  }
  const held = await findDossier(db, review.dossierId);
  if (!held) throw new Error(`review ${reviewId} points at a missing dossier`);
  return { review, held };
}
