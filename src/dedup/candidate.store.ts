/**
 * Candidate lookups for dual-entry matching: exact probes of the indexed blocking keys only
 * (docs/dedup.md), so the cost of a lookup does not grow with the store. Each probe is one prepared
 * statement.
 */
import { type DossierRecord, fromDossierRow } from '../intake/dossier.row.js';
import { prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';

/** At most this many rows per probe. */
export const MAX_CANDIDATES = 20;

const byIdNumber = prepared<{ idNumber: string; procedure: string; from: number; to: number }>()((db, p) =>
  db
    .selectFrom('dossiers')
    .selectAll()
    .where('applicant_id_number', '=', p.idNumber)
    .where('procedure_code', '=', p.procedure)
    .where('received_at_ms', '>=', p.from)
    .where('received_at_ms', '<=', p.to)
    .where('merged_into', 'is', null)
    .limit(MAX_CANDIDATES),
);

const byName = prepared<{ procedure: string; day: string; key: string }>()((db, p) =>
  db
    .selectFrom('dossiers')
    .selectAll()
    .where('procedure_code', '=', p.procedure)
    .where('received_day', '=', p.day)
    .where('applicant_name_key', '=', p.key)
    .where('merged_into', 'is', null)
    .limit(MAX_CANDIDATES),
);

const byPhone = prepared<{ procedure: string; day: string; key: string }>()((db, p) =>
  db
    .selectFrom('dossiers')
    .selectAll()
    .where('procedure_code', '=', p.procedure)
    .where('received_day', '=', p.day)
    .where('applicant_phone', '=', p.key)
    .where('merged_into', 'is', null)
    .limit(MAX_CANDIDATES),
);

/** Live dossiers of the same applicant identifier and procedure received within [from, to]. */
export async function findByIdNumber(
  db: Db,
  q: { idNumber: string; procedure: string; from: number; to: number },
): Promise<DossierRecord[]> {
  return (await byIdNumber.all(db, q)).map(fromDossierRow);
}

/** Live dossiers of the same procedure and receipt day with the same name key or the same phone. */
export async function findBySameDay(
  db: Db,
  q: { procedure: string; day: string; by: 'name' | 'phone'; key: string },
): Promise<DossierRecord[]> {
  const probe = q.by === 'name' ? byName : byPhone;
  return (await probe.all(db, { procedure: q.procedure, day: q.day, key: q.key })).map(fromDossierRow);
}
