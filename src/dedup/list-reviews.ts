/** The operators' review queue: reviews in a state, each with its held dossier and scored candidates. */
import type { z } from 'zod';
import type { ReviewSchema } from '../../schemas/review.js';
import { findDossier } from '../intake/dossier.store.js';
import { toSummary } from '../intake/dossier.view.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { listReviews as listRows, type ReviewState } from './review.store.js';

export type Review = z.output<typeof ReviewSchema>;

/** Reviews in `state`, oldest first, at most `limit`. */
export async function listReviews(db: Db, q: { state: ReviewState; limit: number }): Promise<Review[]> {
  const items: Review[] = [];
  for (const r of await listRows(db, q.state, q.limit)) {
    const held = await findDossier(db, r.dossierId);
    if (!held) continue;
    const candidates = [];
    for (const cand of r.candidates) {
      const d = await findDossier(db, cand.dossierId);
      candidates.push({ ...cand, dossier: d ? toSummary(d) : null });
    }
    items.push({
      id: r.id,
      state: r.state,
      createdAt: toVnIso(r.createdAtMs),
      decidedAt: r.decidedAtMs === null ? null : toVnIso(r.decidedAtMs),
      decidedBy: r.decidedBy,
      decision: r.decision,
      dossier: toSummary(held),
      candidates,
    });
  }
  return items;
}
