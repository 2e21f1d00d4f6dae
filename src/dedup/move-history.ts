/**
 * Moves a merged dossier's status history onto the dossier it joined. A step the target already has
 * is dropped; a newer legal step moves the target's state and goes to the portal like any other.
 */
import type { DossierRecord } from '../intake/dossier.row.js';
import { updateDossier } from '../intake/dossier.store.js';
import { deleteStep, findSameStep, listSteps, moveStep } from '../intake/history.store.js';
import type { WriteContext } from '../intake/intake.context.js';
import { canTransition } from '../intake/status-machine.js';
import { queueDossierSync, queueProgress } from '../transfers/payloads.js';

/** Moves every step of `fromId` onto `target`; answers the target as it is afterwards. */
export async function moveHistory(
  ctx: WriteContext,
  fromId: string,
  target: DossierRecord,
): Promise<DossierRecord> {
  const { trx, now } = ctx;
  const queue = { outbox: ctx.deps.outbox, trx, now };
  let current = target;
  for (const e of await listSteps(trx, fromId)) {
    if ((await findSameStep(trx, target.id, e.status, e.atMs)) !== undefined) {
      await deleteStep(trx, e.id);
      continue;
    }
    const from = current.status;
    const to = e.status;
    const moves = e.applied && e.atMs >= current.statusAtMs && to !== from && canTransition(from, to);
    await moveStep(trx, e.id, target.id, moves);
    if (!moves) continue;
    const next: DossierRecord = {
      ...current,
      status: to,
      statusAtMs: e.atMs,
      version: current.version + 1,
      updatedAtMs: now,
    };
    await updateDossier(trx, next, ctx.deps.deadlines);
    await queueDossierSync(queue, next, 'update');
    await queueProgress(queue, next, { historyId: e.id, status: to, at: e.at, note: e.note ?? undefined });
    current = next;
  }
  return current;
}
