/**
 * Operator action: a dossier lodged with the wrong agency moves to another. No push can do this (the
 * agency has field authority of its own, docs/dedup.md); the move is written to the reconciliation log
 * with the operator who made it, and the portal gets the dossier as an update. The dossier code never
 * changes once issued, so it keeps the prefix of the agency that issued it.
 */
import { Conflict, NotFound } from '../lib/errors.js';
import { appendLog } from '../reconciliation/log.js';
import { queueDossierSync } from '../transfers/payloads.js';
import type { DossierRecord } from './dossier.row.js';
import { findDossier, updateDossier } from './dossier.store.js';
import type { WriteContext } from './intake.context.js';

export interface AgencyMove {
  dossierId: string;
  agency: { code: string; name: string };
  actor: string;
}

/** Moves the dossier to `move.agency`; returns whether anything changed. */
export async function moveAgency(
  ctx: WriteContext,
  move: AgencyMove,
): Promise<{ dossierId: string; moved: boolean }> {
  const { trx, now } = ctx;
  const dossier = await findDossier(trx, move.dossierId);
  if (!dossier) throw new NotFound(`no dossier ${move.dossierId}`);
  if (dossier.mergedInto) {
    throw new Conflict(`dossier ${dossier.id} was merged into ${dossier.mergedInto}; move that dossier`, {
      extra: { mergedInto: dossier.mergedInto },
    });
  }
  const from = dossier.data.agency;
  if (from.code === move.agency.code && from.name === move.agency.name) {
    return { dossierId: dossier.id, moved: false };
  }
  const next: DossierRecord = {
    ...dossier,
    data: { ...dossier.data, agency: { code: move.agency.code, name: move.agency.name } },
    version: dossier.version + 1,
    updatedAtMs: now,
  };
  await updateDossier(trx, next, ctx.deps.deadlines);
  await queueDossierSync({ outbox: ctx.deps.outbox, trx, now }, next, 'update');
  await appendLog(
    trx,
    {
      kind: 'ops.agency_moved',
      actor: move.actor,
      dossierId: dossier.id,
      data: { from: from.code, to: move.agency.code, version: next.version },
    },
    now,
  );
  return { dossierId: dossier.id, moved: true };
}
