/** The postal part of the operators' health (`GET /v1/ops/health`): how long the oldest unclaimed job waits. */
import type { Db } from '../store/store.js';
import { oldestUnclaimedJobMs } from './job.store.js';

export async function postalHealth(db: Db, now: number): Promise<{ oldestUnclaimedJobAgeMs: number | null }> {
  const oldest = await oldestUnclaimedJobMs(db, now);
  return { oldestUnclaimedJobAgeMs: oldest === null ? null : Math.max(0, now - oldest) };
}
