/**
 * A new record names a dossier code the gateway already holds: it is the same dossier, unless the
 * facts contradict it (another record of the same system, another applicant, another procedure).
 */
import { Conflict } from '../lib/errors.js';
import type { DossierRecord } from './dossier.row.js';
import type { PushContext } from './intake.context.js';
import { type Merged, mergeRecord } from './merge-record.js';
import { assertAgencyScope } from './scope.js';
import { sourceSystems } from './source.store.js';

/** Merges the pushed record into the dossier holding its code, or refuses with a conflict. */
export async function joinByCode(ctx: PushContext, holder: DossierRecord): Promise<Merged> {
  const { trx, input, data, system } = ctx;
  // Scope first: nothing about a dossier outside the caller's agencies (not even which fact differs).
  assertAgencyScope(ctx.principal, holder.data.agency.code);
  if ((await sourceSystems(trx, holder.id)).includes(system)) {
    throw new Conflict(`dossier code ${input.code} already belongs to another record of ${system}`, {
      extra: { field: 'code', dossierId: holder.id },
    });
  }
  const idA = holder.data.applicant.idNumber;
  const idB = data.applicant.idNumber;
  const otherApplicant = Boolean(idA && idB && idA !== idB);
  if (otherApplicant || holder.data.procedure.code !== data.procedure.code) {
    throw new Conflict(
      `dossier code ${input.code} belongs to a dossier with a different ${otherApplicant ? 'applicant' : 'procedure'}`,
      { extra: { field: 'code', dossierId: holder.id } },
    );
  }
  return mergeRecord(ctx, holder, { rule: 'same_code', score: 1, reasons: [] });
}
