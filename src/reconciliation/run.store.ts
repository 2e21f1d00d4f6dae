/** Rows of `reconciliation_runs` (migration 0014, docs/reconciliation.md). */
import { z } from 'zod';
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { ReconciliationRunTable } from '../store/tables.js';

export type RunTrigger = ReconciliationRunTable['trigger'];
export type RunState = ReconciliationRunTable['state'];
export type PortalComparison = ReconciliationRunTable['portal'];

const CountsSchema = z.object({
  opened: z.record(z.string(), z.number()),
  closed: z.record(z.string(), z.number()),
});
export type RunCounts = z.output<typeof CountsSchema>;

export interface RunRecord {
  id: string;
  trigger: RunTrigger;
  state: RunState;
  periodFromMs: number;
  periodToMs: number;
  portal: PortalComparison;
  portalReason: string | null;
  dossiersCompared: number;
  dossiersSkipped: number;
  counts: RunCounts;
  error: string | null;
  startedAtMs: number;
  finishedAtMs: number | null;
  requestedBy: string;
}

const toRun = (r: ReconciliationRunTable): RunRecord => ({
  id: r.id,
  trigger: r.trigger,
  state: r.state,
  periodFromMs: r.period_from_ms,
  periodToMs: r.period_to_ms,
  portal: r.portal,
  portalReason: r.portal_reason,
  dossiersCompared: r.dossiers_compared,
  dossiersSkipped: r.dossiers_skipped,
  counts: CountsSchema.parse(JSON.parse(r.counts)),
  error: r.error,
  startedAtMs: r.started_at_ms,
  finishedAtMs: r.finished_at_ms,
  requestedBy: r.requested_by,
});

export async function insertRun(db: Db, run: RunRecord): Promise<void> {
  await db
    .insertInto('reconciliation_runs')
    .values({
      id: run.id,
      trigger: run.trigger,
      state: run.state,
      period_from_ms: run.periodFromMs,
      period_to_ms: run.periodToMs,
      portal: run.portal,
      portal_reason: run.portalReason,
      dossiers_compared: run.dossiersCompared,
      dossiers_skipped: run.dossiersSkipped,
      counts: JSON.stringify(run.counts),
      error: run.error,
      started_at_ms: run.startedAtMs,
      finished_at_ms: run.finishedAtMs,
      requested_by: run.requestedBy,
    })
    .execute();
}

/** Writes a run's outcome. */
export async function updateRun(db: Db, run: RunRecord): Promise<void> {
  await db
    .updateTable('reconciliation_runs')
    .set({
      state: run.state,
      portal: run.portal,
      portal_reason: run.portalReason,
      dossiers_compared: run.dossiersCompared,
      dossiers_skipped: run.dossiersSkipped,
      counts: JSON.stringify(run.counts),
      error: run.error,
      finished_at_ms: run.finishedAtMs,
    })
    .where('id', '=', run.id)
    .execute();
}

export async function findRun(db: Db, id: string): Promise<RunRecord | undefined> {
  const row = await allRuns(db).where('id', '=', id).executeTakeFirst();
  return row ? toRun(row) : undefined;
}

function allRuns(db: Db) {
  return db.selectFrom('reconciliation_runs').selectAll();
}

/** The newest run `runs` yields, by `column`. */
async function newestRun(
  runs: ReturnType<typeof allRuns>,
  column: 'started_at_ms' | 'period_to_ms',
): Promise<RunRecord | undefined> {
  const row = await runs.orderBy(column, 'desc').limit(literalLimit(1)).executeTakeFirst();
  return row ? toRun(row) : undefined;
}

/** A run still marked running that started after `sinceMs` (older ones died with their process). */
export function findRunningRun(db: Db, sinceMs: number): Promise<RunRecord | undefined> {
  const running = allRuns(db).where('state', '=', 'running').where('started_at_ms', '>=', sinceMs);
  return newestRun(running, 'started_at_ms');
}

/** The newest completed run that compared with the portal in full: the next period starts at its end. */
export function findLastComparedRun(db: Db): Promise<RunRecord | undefined> {
  return newestRun(
    allRuns(db).where('state', '=', 'completed').where('portal', '=', 'compared'),
    'period_to_ms',
  );
}

/** The newest run of any kind (the schedule's last start). */
export function findLastRun(db: Db): Promise<RunRecord | undefined> {
  return newestRun(allRuns(db), 'started_at_ms');
}
