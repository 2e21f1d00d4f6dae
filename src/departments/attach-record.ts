/**
 * Use case: the record id a department's software answered a forwarded dossier with becomes a source
 * reference of the dossier (docs/departments.md, No dual entry), so that system's later pushes and
 * events attach to the same dossier. A record id already feeding another dossier is not moved: the
 * clash is logged (references only) for an operator.
 */

import { findDossierIdBySource, insertSource } from '../intake/source.store.js';
import { appendLog } from '../reconciliation/log.js';
import type { Trx } from '../store/store.js';

export type Attached = 'attached' | 'already' | 'clash';

export async function attachRecord(
  trx: Trx,
  ref: { dossierId: string; system: string; recordId: string },
  now: number,
): Promise<Attached> {
  const holder = await findDossierIdBySource(trx, ref.system, ref.recordId);
  if (holder === ref.dossierId) return 'already';
  const kind = holder ? 'department.record_clash' : 'department.record_attached';
  const data = { system: ref.system, recordId: ref.recordId, ...(holder ? { heldBy: holder } : {}) };
  if (!holder) {
    await insertSource(trx, {
      ...ref,
      code: null,
      firstSeenAtMs: now,
      lastSeenAtMs: now,
      lastInput: undefined,
    });
  }
  await appendLog(trx, { kind, actor: ref.system, dossierId: ref.dossierId, data }, now);
  return holder ? 'clash' : 'attached';
}
