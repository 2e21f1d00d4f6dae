/**
 * The gateway's own invariants, checked by every run whether or not the portal answers
 * (docs/reconciliation.md): dead and stuck transfers, dedup reviews waiting too long, postal jobs past
 * their due time; findings whose condition cleared are closed, postal `delivery_failed` ones included.
 * Each check opens at most `BATCH` findings per statement and goes on until none are left (bounded).
 */
import {
  clearedInvariantFindings,
  deadTransfersWithoutFinding,
  type InvariantWindow,
  stalledJobsWithoutFinding,
  stuckTransfersWithoutFinding,
  waitingReviewsWithoutFinding,
} from './invariant.store.js';
import type { RunContext, Tally } from './reconciliation.context.js';
import { closeFindings, openFindings } from './record-findings.js';

const BATCH = 500;
/** At most this many batches per check and run; the rest waits for the next run. */
const MAX_BATCHES = 200;

const CHECKS = [
  deadTransfersWithoutFinding,
  stuckTransfersWithoutFinding,
  waitingReviewsWithoutFinding,
  stalledJobsWithoutFinding,
];

export async function checkInvariants(ctx: RunContext, runId: string, tally: Tally): Promise<void> {
  const now = ctx.clock.now();
  const w: InvariantWindow = {
    now,
    stuckBeforeMs: now - ctx.config.stuckMs,
    reviewBeforeMs: now - ctx.config.reviewWaitMs,
    limit: BATCH,
  };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const cleared = await clearedInvariantFindings(ctx.store.db, w);
    if (cleared.length === 0) break;
    await ctx.store.transaction((trx) => closeFindings({ trx, now, runId, tally }, cleared));
  }
  for (const check of CHECKS) {
    for (let i = 0; i < MAX_BATCHES; i++) {
      const found = await check(ctx.store.db, w);
      if (found.length === 0) break;
      await ctx.store.transaction((trx) => openFindings({ trx, now, runId, tally }, found));
    }
  }
}
