/**
 * Applies what one source pushed to a dossier under field authority (docs/dedup.md): writes the
 * dossier, the status step, the conflicts and the outbox rows. Used by a re-push, a merge and an
 * operator's confirmed merge. A merge never queues an insert: the portal already has (or will get)
 * the dossier under its one code.
 */

import type { DedupConfig } from '../../schemas/config.js';
import type { DossierData, DossierStatus } from '../../schemas/dossier.js';
import type { LastInput } from '../../schemas/stored.js';
import { type Conflict, reconcile, type SystemKind } from '../dedup/reconcile.js';
import { forwardChange, forwardedStep } from '../departments/forward-change.js';
import { toVnIso } from '../lib/time.js';
import { createPostalJobs } from '../postal/create-jobs.js';
import { notifyApplicant } from '../sms/notify-applicant.js';
import { queueDossierSync, queueProgress } from '../transfers/payloads.js';
import { insertConflict } from './conflict.store.js';
import { statusTimeOf } from './dossier.data.js';
import type { DossierRecord } from './dossier.row.js';
import { updateDossier } from './dossier.store.js';
import { findSameStep, insertStep } from './history.store.js';
import type { PushContext, WriteContext } from './intake.context.js';
import { sourceSystems } from './source.store.js';
import { canTransition, illegalTransition } from './status-machine.js';

/** What one source pushed, as field authority weighs it. */
export interface PushedRecord {
  system: string;
  recordId: string;
  status: DossierStatus;
  note?: string | undefined;
  data: DossierData;
  /** What this source pushed before, to tell its own changes from other sources'. */
  previous?: LastInput | undefined;
}

/** The record a push brings, as field authority weighs it; `previous` is what its source sent before. */
export function pushedRecord(ctx: PushContext, previous?: LastInput): PushedRecord {
  const { input } = ctx;
  return {
    system: ctx.system,
    recordId: input.source.recordId,
    status: input.status,
    note: input.note,
    data: ctx.data,
    previous,
  };
}

export interface Applied {
  changed: boolean;
  version: number;
  conflicts: Conflict[];
}

/** The kind of a source system: the one-stop software, or a department's specialized software. */
export function systemKind(dedup: DedupConfig, system: string): SystemKind {
  return dedup.onestopSystems.includes(system) ? 'onestop' : 'specialized';
}

/**
 * Whether the reconciled status moves the dossier: a step older than the current one only goes into
 * the history; an illegal step is refused when this source is alone, and kept as a conflict otherwise.
 */
function statusMove(
  target: DossierRecord,
  to: DossierStatus | undefined,
  atMs: number,
  hasOthers: boolean,
  rec: PushedRecord,
): { moves: boolean; conflict?: Conflict } {
  const from = target.status;
  if (to === undefined || to === from) return { moves: false };
  if (atMs < target.statusAtMs) return { moves: false };
  if (canTransition(from, to)) return { moves: true };
  if (!hasOthers) throw illegalTransition(from, to);
  return {
    moves: false,
    conflict: { field: 'status', kept: from, keptSystem: null, other: to, otherSystem: rec.system },
  };
}

/** Reconciles `rec` into `target` and writes whatever changed. */
export async function applyReconciled(
  ctx: WriteContext,
  target: DossierRecord,
  rec: PushedRecord,
): Promise<Applied> {
  const { trx, now, deps } = ctx;
  const kindOf = (system: string) => systemKind(deps.dedup, system);
  const systems = await sourceSystems(trx, target.id);
  const others = new Map(systems.filter((s) => s !== rec.system).map((s) => [s, kindOf(s)] as const));
  const from = target.status;
  const result = reconcile({
    current: target.data,
    currentStatus: from,
    incoming: rec.data,
    incomingStatus: rec.status,
    previous: rec.previous,
    system: rec.system,
    others,
    kindOf,
    authority: deps.dedup.authority,
  });
  for (const c of result.conflicts) await insertConflict(trx, target.id, { ...c, detectedAtMs: now });
  const to = result.status;
  const statusAt = to ? statusTimeOf(result.data, to, now) : target.statusAtMs;
  const move = statusMove(target, to, statusAt, others.size > 0, rec);
  if (move.conflict) result.conflicts.push(move.conflict);
  const step = {
    dossierId: target.id,
    atMs: statusAt,
    note: rec.note,
    officer: undefined,
    system: rec.system,
    recordId: rec.recordId,
    now,
  };
  if (to && to !== from && !move.moves && !(await findSameStep(trx, target.id, to, statusAt))) {
    await insertStep(trx, { ...step, status: to, applied: false });
  }
  const dataChanged = JSON.stringify(result.data) !== JSON.stringify(target.data);
  if (!dataChanged && !move.moves)
    return { changed: false, version: target.version, conflicts: result.conflicts };
  const next: DossierRecord = {
    ...target,
    data: result.data,
    status: move.moves && to ? to : from,
    statusAtMs: move.moves ? statusAt : target.statusAtMs,
    version: target.version + 1,
    updatedAtMs: now,
  };
  await updateDossier(trx, next, ctx.deps.deadlines);
  await createPostalJobs(ctx, next);
  const queue = { outbox: deps.outbox, trx, now };
  await queueDossierSync(queue, next, 'update');
  if (move.moves && to) {
    const applied = await insertStep(trx, { ...step, status: to, applied: true });
    await queueProgress(queue, next, {
      historyId: applied.id,
      status: to,
      at: toVnIso(statusAt),
      note: rec.note,
    });
    await notifyApplicant(ctx, next, to);
    const event = forwardedStep(to, toVnIso(statusAt), rec.note);
    await forwardChange(ctx, next, { kind: 'event', origin: rec.system, event });
  }
  return { changed: true, version: next.version, conflicts: result.conflicts };
}
