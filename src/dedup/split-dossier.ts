/**
 * Undoes a wrong merge: the named source goes back to a dossier of its own with its own events, and
 * the dossier it leaves is rebuilt from the sources that remain. The portal gets the new dossier as an
 * insert and the old one as an update; what it was already told stays in the reconciliation log.
 */
import { deleteAlias } from '../intake/alias.store.js';
import { statusTimeOf } from '../intake/dossier.data.js';
import type { DossierRecord } from '../intake/dossier.row.js';
import {
  findDossier,
  findDossierWithOwnCode,
  insertDossier,
  markMerged,
  updateDossier,
} from '../intake/dossier.store.js';
import { latestAppliedStep, moveStepsOfSource } from '../intake/history.store.js';
import type { WriteContext } from '../intake/intake.context.js';
import { issueCode } from '../intake/issue-code.js';
import { listSources, moveSource, type SourceRecord } from '../intake/source.store.js';
import { newId } from '../lib/crypto.js';
import { Conflict, NotFound } from '../lib/errors.js';
import { parseInstant } from '../lib/time.js';
import { appendLog } from '../reconciliation/log.js';
import { queueDossierSync } from '../transfers/payloads.js';

export interface SplitRequest {
  dossierId: string;
  source: { system: string; recordId: string };
  actor: string;
}

/** The dossier the leaving source becomes: its own fields, code and events. */
async function splitOff(
  ctx: WriteContext,
  from: DossierRecord,
  leaving: SourceRecord & { lastInput: NonNullable<SourceRecord['lastInput']> },
): Promise<{ dossier: DossierRecord; movedEvents: number }> {
  const { trx, now } = ctx;
  const mine = leaving.lastInput;
  // The leaving source's own code (an alias here) goes with it; the dossier keeps its own code. A code
  // that is still the own code of a dossier merged away by a review cannot move (codes are unique and
  // never change): the split dossier gets a new one, and the merged-away dossier redirects to it.
  const tombstone =
    leaving.code && leaving.code !== from.code ? await findDossierWithOwnCode(trx, leaving.code) : undefined;
  if (leaving.code && leaving.code !== from.code) await deleteAlias(trx, leaving.code);
  const code =
    leaving.code && leaving.code !== from.code && !tombstone
      ? leaving.code
      : await issueCode(trx, mine.data.agency.code, parseInstant(mine.data.receivedAt));
  const dossier: DossierRecord = {
    id: newId(),
    code,
    status: mine.status,
    statusAtMs: statusTimeOf(mine.data, mine.status, now),
    version: 1,
    createdAtMs: now,
    updatedAtMs: now,
    held: false,
    mergedInto: null,
    data: mine.data,
  };
  await insertDossier(trx, dossier, ctx.deps.deadlines);
  if (tombstone?.mergedInto === from.id) await markMerged(trx, tombstone.id, dossier.id, now);
  await moveSource(trx, leaving.system, leaving.recordId, dossier.id);
  const moved = await moveStepsOfSource(trx, from.id, leaving, dossier.id);
  const lastMoved = moved
    .filter((h) => h.applied)
    .sort((a, b) => a.atMs - b.atMs || a.id - b.id)
    .at(-1);
  if (lastMoved) {
    dossier.status = lastMoved.status;
    dossier.statusAtMs = lastMoved.atMs;
    // Through the row builder, so the closing instant follows the status (docs/deadlines.md).
    await updateDossier(trx, dossier, ctx.deps.deadlines);
  }
  await queueDossierSync({ outbox: ctx.deps.outbox, trx, now }, dossier, 'insert');
  return { dossier, movedEvents: moved.length };
}

/** The dossier that stays, rebuilt from its first remaining source and its remaining history. */
async function rebuild(ctx: WriteContext, row: DossierRecord, staying: SourceRecord[]): Promise<void> {
  const { trx, now } = ctx;
  const base = [...staying].sort((a, b) => a.firstSeenAtMs - b.firstSeenAtMs)[0];
  const kept = base?.lastInput;
  const remaining = await latestAppliedStep(trx, row.id);
  const rebuilt: DossierRecord = {
    ...row,
    status: remaining?.status ?? kept?.status ?? row.status,
    statusAtMs: remaining?.atMs ?? row.statusAtMs,
    data: kept?.data ?? row.data,
    version: row.version + 1,
    updatedAtMs: now,
  };
  await updateDossier(trx, rebuilt, ctx.deps.deadlines);
  await queueDossierSync({ outbox: ctx.deps.outbox, trx, now }, rebuilt, 'update');
}

/** Splits the named source off a merged dossier. */
export async function splitDossier(
  ctx: WriteContext,
  req: SplitRequest,
): Promise<{ dossierId: string; splitId: string }> {
  const { trx, now } = ctx;
  const { dossierId, source } = req;
  const row = await findDossier(trx, dossierId);
  if (!row) throw new NotFound(`no dossier ${dossierId}`);
  if (row.mergedInto) {
    throw new Conflict(`dossier ${dossierId} was merged into ${row.mergedInto}; split that dossier`, {
      extra: { mergedInto: row.mergedInto },
    });
  }
  const sources = await listSources(trx, row.id);
  const leaving = sources.find((s) => s.system === source.system && s.recordId === source.recordId);
  if (!leaving) throw new NotFound(`dossier ${dossierId} has no source ${source.system}/${source.recordId}`);
  const staying = sources.filter((s) => s !== leaving);
  if (staying.length === 0) throw new Conflict('a dossier with a single source has nothing to split off');
  const { lastInput } = leaving;
  if (!lastInput) throw new Conflict('this source has no recorded fields to rebuild a dossier from');
  const split = await splitOff(ctx, row, { ...leaving, lastInput });
  await rebuild(ctx, row, staying);
  await appendLog(
    trx,
    {
      kind: 'dedup.split',
      actor: req.actor,
      dossierId: row.id,
      data: {
        source: leaving.system,
        recordId: leaving.recordId,
        newDossier: split.dossier.id,
        newCode: split.dossier.code,
        movedEvents: split.movedEvents,
      },
    },
    now,
  );
  return { dossierId: row.id, splitId: split.dossier.id };
}
