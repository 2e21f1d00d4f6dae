/** Use case: one reconciliation run as the operators see it. */
import type { z } from '@hono/zod-openapi';
import type { RunSchema } from '../../schemas/reconciliation.js';
import { NotFound } from '../lib/errors.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { findRun, type RunRecord } from './run.store.js';

export type RunView = z.infer<typeof RunSchema>;

export function toRunView(r: RunRecord): RunView {
  return {
    id: r.id,
    trigger: r.trigger,
    state: r.state,
    period: { from: toVnIso(r.periodFromMs), to: toVnIso(r.periodToMs) },
    portal: r.portal,
    portalReason: r.portalReason,
    dossiersCompared: r.dossiersCompared,
    dossiersSkipped: r.dossiersSkipped,
    opened: r.counts.opened,
    closed: r.counts.closed,
    error: r.error,
    startedAt: toVnIso(r.startedAtMs),
    finishedAt: r.finishedAtMs === null ? null : toVnIso(r.finishedAtMs),
  };
}

export async function getRun(db: Db, id: string): Promise<RunView> {
  const run = await findRun(db, id);
  if (!run) throw new NotFound(`no reconciliation run ${id}`);
  return toRunView(run);
}
