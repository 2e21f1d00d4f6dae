/** The postal part of the operators' health (`GET /v1/ops/health`): the oldest unclaimed job's wait, open findings. */
import type { Db } from '../store/store.js';
import { countOpenFindings } from './finding.store.js';
import { oldestUnclaimedJobMs } from './job.store.js';

export async function postalHealth(
  db: Db,
  now: number,
): Promise<{ oldestUnclaimedJobAgeMs: number | null; openFindings: number }> {
  const oldest = await oldestUnclaimedJobMs(db, now);
  return {
    oldestUnclaimedJobAgeMs: oldest === null ? null : Math.max(0, now - oldest),
    // `delivery_failed` is the postal service's too (docs/reconciliation.md keeps the name).
    openFindings: (await countOpenFindings(db, 'postal_')) + (await countOpenFindings(db, 'delivery_failed')),
  };
}
