/**
 * Starts a reconciliation run (docs/reconciliation.md): its period is the one asked for, or from the end
 * of the last run that compared in full (the lookback window before the first) up to now. One run at a
 * time: while one started in the last hour is still running, another is refused (409).
 */
import { Conflict, Validation } from '../lib/errors.js';
import type { Db } from '../store/store.js';
import type { RunContext } from './reconciliation.context.js';
import {
  findLastComparedRun,
  findRunningRun,
  insertRun,
  type RunRecord,
  type RunTrigger,
} from './run.store.js';

/** A run still "running" after this long died with its process; another may start. */
const STALE_MS = 3_600_000;

export interface RunRequest {
  trigger: RunTrigger;
  requestedBy: string;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

/** Inserts the run's row through `db` (the caller's unit of work, or the store). */
export async function startRun(
  db: Db,
  ctx: Pick<RunContext, 'clock' | 'config'>,
  r: RunRequest,
): Promise<RunRecord> {
  const now = ctx.clock.now();
  const running = await findRunningRun(db, now - STALE_MS);
  if (running) {
    throw new Conflict(`reconciliation run ${running.id} is still running`, {
      extra: { runId: running.id },
    });
  }
  const toMs = r.toMs ?? now;
  const fromMs = r.fromMs ?? (await findLastComparedRun(db))?.periodToMs ?? toMs - ctx.config.lookbackMs;
  if (toMs > now) {
    throw new Validation([
      { path: 'to', rule: 'not_in_future', message: 'the period must not end in the future' },
    ]);
  }
  if (fromMs >= toMs) {
    throw new Validation([
      { path: 'from', rule: 'before_to', message: 'the period must start before it ends' },
    ]);
  }
  const run: RunRecord = {
    id: `run-${crypto.randomUUID()}`,
    trigger: r.trigger,
    state: 'running',
    periodFromMs: fromMs,
    periodToMs: toMs,
    portal: 'not_compared',
    portalReason: null,
    dossiersCompared: 0,
    dossiersSkipped: 0,
    counts: { opened: {}, closed: {} },
    error: null,
    startedAtMs: now,
    finishedAtMs: null,
    requestedBy: r.requestedBy,
  };
  await insertRun(db, run);
  return run;
}
