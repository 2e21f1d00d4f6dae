/**
 * A record of another system that is the same dossier joins it (dual entry): a second source
 * reference, its code kept as an alias, its fields applied under field authority, one log entry.
 */
import type { Candidate } from '../dedup/matcher.js';
import { appendLog, conflictRefs } from '../reconciliation/log.js';
import { insertAlias } from './alias.store.js';
import { applyReconciled, pushedRecord } from './apply-reconciled.js';
import type { DossierRecord } from './dossier.row.js';
import type { PushContext } from './intake.context.js';
import { newSource } from './new-source.js';
import { insertSource } from './source.store.js';

export interface Merged {
  outcome: 'merged';
  dossierId: string;
  /** The candidate that was joined, with its score and reasons (a dual-entry match). */
  match?: Candidate;
}

/** Why the record joins the dossier: the rule, and the match score and reasons when it was matched. */
export interface MergeReason {
  rule: 'dual_entry' | 'same_code';
  score: number;
  reasons: unknown[];
}

/** Attaches the pushed record to `target`. */
export async function mergeRecord(
  ctx: PushContext,
  target: DossierRecord,
  why: MergeReason,
): Promise<Merged> {
  const { trx, now, input, system } = ctx;
  await insertSource(trx, newSource(ctx, target.id));
  if (input.code && input.code !== target.code) {
    await insertAlias(trx, { code: input.code, dossierId: target.id, system }, now);
  }
  const applied = await applyReconciled(ctx, target, pushedRecord(ctx));
  await appendLog(
    trx,
    {
      kind: 'dedup.merged',
      actor: system,
      dossierId: target.id,
      data: {
        recordId: input.source.recordId,
        code: input.code,
        rule: why.rule,
        score: why.score,
        conflicts: conflictRefs(applied.conflicts, ctx.deps.logKey),
      },
    },
    now,
  );
  return { outcome: 'merged', dossierId: target.id };
}
