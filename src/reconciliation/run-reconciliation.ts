/**
 * Runs a started reconciliation run to its end (docs/reconciliation.md): the portal comparison, then the
 * gateway's own invariants, then the run's row and a `reconciliation.run` log entry with its counts
 * (kinds and numbers only). A failure ends the run as `failed` with the reason; it never throws.
 */
import { toVnIso } from '../lib/time.js';
import { maskText } from '../log/mask.js';
import { appendLog } from './append.js';
import { checkDeadlines } from './check-deadlines.js';
import { checkInvariants } from './check-invariants.js';
import { compareWithPortal } from './compare-with-portal.js';
import { newTally, RUN_ACTOR, type RunContext } from './reconciliation.context.js';
import { type RunRecord, updateRun } from './run.store.js';

export async function runReconciliation(ctx: RunContext, run: RunRecord): Promise<RunRecord> {
  const tally = newTally();
  let done: RunRecord;
  try {
    const c = await compareWithPortal(ctx, run, tally);
    await checkInvariants(ctx, run.id, tally);
    if (ctx.calendar) await checkDeadlines(ctx, ctx.calendar, run.id, tally);
    done = {
      ...run,
      state: 'completed',
      portal: c.portal,
      portalReason: c.reason === null ? null : maskText(c.reason).slice(0, 500),
      dossiersCompared: c.compared,
      dossiersSkipped: c.skipped,
      counts: tally,
      finishedAtMs: ctx.clock.now(),
    };
  } catch (error) {
    done = {
      ...run,
      state: 'failed',
      counts: tally,
      error: maskText((error as Error).message ?? String(error)).slice(0, 500),
      finishedAtMs: ctx.clock.now(),
    };
  }
  await ctx.store.transaction(async (trx) => {
    await updateRun(trx, done);
    await appendLog(
      trx,
      {
        kind: 'reconciliation.run',
        actor: RUN_ACTOR,
        data: {
          runId: done.id,
          trigger: done.trigger,
          state: done.state,
          period: { from: toVnIso(done.periodFromMs), to: toVnIso(done.periodToMs) },
          portal: done.portal,
          compared: done.dossiersCompared,
          skipped: done.dossiersSkipped,
          opened: done.counts.opened,
          closed: done.counts.closed,
        },
      },
      done.finishedAtMs ?? ctx.clock.now(),
    );
  });
  return done;
}
