/**
 * The same system pushes a record it pushed before: the dossier it feeds is updated under field
 * authority. A dossier code never changes once issued; the record may name one of its aliases.
 */
import { Conflict } from '../lib/errors.js';
import { appendLog, conflictRefs } from '../reconciliation/log.js';
import { findAliasTarget } from './alias.store.js';
import { applyReconciled, pushedRecord } from './apply-reconciled.js';
import type { DossierRecord } from './dossier.row.js';
import type { PushContext } from './intake.context.js';
import { findSource, touchSource } from './source.store.js';

export interface Updated {
  outcome: 'updated';
  dossierId: string;
}

/** Applies a re-pushed record to the dossier it feeds. */
export async function updateRecord(ctx: PushContext, target: DossierRecord): Promise<Updated> {
  const { trx, now, input, system } = ctx;
  // No agency check on the target: this system is already its source (and sees it), and a dossier an
  // operator moved to another agency keeps its sources; the push itself never moves it (reconcile.ts).
  if (input.code && input.code !== target.code) {
    if ((await findAliasTarget(trx, input.code)) !== target.id) {
      throw new Conflict(`dossier code is ${target.code} and never changes once issued`, {
        extra: { field: 'code', code: target.code },
      });
    }
  }
  const source = await findSource(trx, system, input.source.recordId);
  if (!source) throw new Error(`source ${system}/${input.source.recordId} vanished inside its transaction`);
  await touchSource(trx, system, input.source.recordId, { data: ctx.data, status: input.status }, now);
  const applied = await applyReconciled(ctx, target, pushedRecord(ctx, source.lastInput));
  if (applied.changed) {
    await appendLog(
      trx,
      {
        kind: 'intake.updated',
        actor: system,
        dossierId: target.id,
        data: {
          recordId: input.source.recordId,
          version: applied.version,
          conflicts: conflictRefs(applied.conflicts, ctx.deps.logKey),
        },
      },
      now,
    );
  }
  return { outcome: 'updated', dossierId: target.id };
}
