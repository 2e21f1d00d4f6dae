/**
 * Push: a source system hands over a dossier. In one unit of work it becomes exactly one of:
 * an update (this system's record again), a merge (the same dossier, by code or by a certain dual-entry
 * match), a held dossier (a possible dual entry an operator decides), or a new dossier
 * (docs/architecture.md walks through the files).
 */
import type { DossierInput } from '../../schemas/dossier.js';
import type { Principal } from '../clients/client.service.js';
import { type Held, holdForReview } from '../dedup/hold-for-review.js';
import { matchDossier } from '../dedup/matcher.js';
import { Forbidden } from '../lib/errors.js';
import { createJobsOfNewDossier } from '../postal/create-jobs.js';
import { checkAddresses } from './check-addresses.js';
import { type Created, createDossier } from './create-dossier.js';
import { toData } from './dossier.data.js';
import { findDossier } from './dossier.store.js';
import { findCodeHolder } from './find-code-holder.js';
import type { PushContext, WriteContext } from './intake.context.js';
import { joinByCode } from './join-by-code.js';
import { type Merged, mergeRecord } from './merge-record.js';
import { assertAgencyScope, sourceSystem } from './scope.js';
import { findDossierIdBySource } from './source.store.js';
import { type Updated, updateRecord } from './update-record.js';

export type PushResult = Created | Updated | Merged | Held;

/** Creates, updates, merges or holds the dossier a source system pushed. */
export async function push(
  unit: WriteContext,
  principal: Principal,
  input: DossierInput,
): Promise<PushResult> {
  const system = sourceSystem(principal);
  if (input.source.system && input.source.system !== system) {
    throw new Forbidden(`source.system "${input.source.system}" is not this client's system "${system}"`, {
      extra: { field: 'source.system' },
    });
  }
  assertAgencyScope(principal, input.agency.code);
  checkAddresses(unit.deps.adminUnits, input);
  const ctx: PushContext = { ...unit, principal, system, input, data: toData(input) };
  const { trx } = ctx;
  const existingId = await findDossierIdBySource(trx, system, input.source.recordId);
  if (existingId) {
    const target = await findDossier(trx, existingId);
    if (!target) throw new Error(`source points at missing dossier ${existingId}`);
    return updateRecord(ctx, target);
  }
  if (input.code) {
    const holder = await findCodeHolder(trx, input.code);
    if (holder) return joinByCode(ctx, holder);
  }
  const decision = await matchDossier(trx, { system, data: ctx.data }, unit.deps.dedup);
  if (decision.kind === 'merge') {
    const target = decision.dossier;
    assertAgencyScope(principal, target.data.agency.code);
    const { score, reasons } = decision.target;
    const merged = await mergeRecord(ctx, target, { rule: 'dual_entry', score, reasons });
    return { ...merged, match: decision.target };
  }
  if (decision.kind === 'review') return holdForReview(ctx, decision.candidates, decision.dossiers);
  const created = await createDossier(ctx, { held: false });
  await createJobsOfNewDossier(ctx, created.dossierId);
  return created;
}
