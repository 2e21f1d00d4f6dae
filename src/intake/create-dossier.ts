/**
 * A pushed record that is no dossier the gateway holds yet becomes a new dossier: its code (given or
 * issued), its source, its first status step, the portal insert, and the log entry. A held dossier
 * (possible dual entry) is written the same way, with its transfers held back.
 */
import type { Dossier } from '../../schemas/dossier.js';
import { forwardChange } from '../departments/forward-change.js';
import { newId } from '../lib/crypto.js';
import { parseInstant } from '../lib/time.js';
import { appendLog } from '../reconciliation/log.js';
import { notifyApplicant } from '../sms/notify-applicant.js';
import { queueDossierSync } from '../transfers/payloads.js';
import { statusTimeOf } from './dossier.data.js';
import type { DossierRecord } from './dossier.row.js';
import { insertDossier } from './dossier.store.js';
import { assembleDossier } from './dossier.view.js';
import { insertStep } from './history.store.js';
import type { PushContext } from './intake.context.js';
import { issueCode } from './issue-code.js';
import { newSource } from './new-source.js';
import { insertSource } from './source.store.js';

export interface Created {
  outcome: 'created';
  dossierId: string;
  /** The dossier as stored: every row of it is in hand, so it is answered without reading it back. */
  view: Dossier;
}

/** Writes the pushed record as a new dossier. */
export async function createDossier(ctx: PushContext, options: { held: boolean }): Promise<Created> {
  const { trx, now, input, data, system } = ctx;
  const id = newId();
  const code = input.code ?? (await issueCode(trx, data.agency.code, parseInstant(data.receivedAt)));
  const dossier: DossierRecord = {
    id,
    code,
    status: input.status,
    statusAtMs: statusTimeOf(data, input.status, now),
    version: 1,
    createdAtMs: now,
    updatedAtMs: now,
    held: options.held,
    mergedInto: null,
    data,
  };
  await insertDossier(trx, dossier, ctx.deps.deadlines);
  const source = newSource(ctx, id);
  await insertSource(trx, source);
  const step = await insertStep(trx, {
    dossierId: id,
    status: input.status,
    atMs: dossier.statusAtMs,
    note: input.note,
    officer: undefined,
    system,
    recordId: input.source.recordId,
    applied: true,
    now,
  });
  await queueDossierSync({ outbox: ctx.deps.outbox, trx, now }, dossier, 'insert');
  await notifyApplicant(ctx, dossier, dossier.status);
  await forwardChange(ctx, dossier, { kind: 'dossier', origin: system });
  await appendLog(
    trx,
    {
      kind: 'intake.created',
      actor: system,
      dossierId: id,
      data: { code, recordId: input.source.recordId, held: options.held },
    },
    now,
  );
  const view = assembleDossier(dossier, { sources: [source], history: [step], aliases: [], conflicts: [] });
  return { outcome: 'created', dossierId: id, view };
}
