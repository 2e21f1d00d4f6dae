/**
 * Candidate lookups for dual-entry matching: exact probes of the indexed blocking keys only
 * (docs/dedup.md), so the cost of a lookup does not grow with the store. Each probe is one prepared
 * statement.
 */
import { type DossierRecord, fromDossierRow } from '../intake/dossier.row.js';
import { literalLimit, prepared } from '../store/prepared.js';
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
    .limit(literalLimit(MAX_CANDIDATES)),
);

type SameDay = { procedure: string; day: string; key: string };

/** The same-day probe on one blocking column; `idless` keeps only dossiers without an identifier. */
const sameDay = (column: 'applicant_name_key' | 'applicant_phone', idless: boolean) =>
  prepared<SameDay>()((db, p) => {
    const q = db
      .selectFrom('dossiers')
      .selectAll()
      .where('procedure_code', '=', p.procedure)
      .where('received_day', '=', p.day)
      .where(column, '=', p.key)
      .where('merged_into', 'is', null);
    return (idless ? q.where('applicant_id_number', 'is', null) : q).limit(literalLimit(MAX_CANDIDATES));
  });

const PROBES = {
  name: { any: sameDay('applicant_name_key', false), idless: sameDay('applicant_name_key', true) },
  phone: { any: sameDay('applicant_phone', false), idless: sameDay('applicant_phone', true) },
};

/** Live dossiers of the same applicant identifier and procedure received within [from, to]. */
export async function findByIdNumber(
  db: Db,
  q: { idNumber: string; procedure: string; from: number; to: number },
): Promise<DossierRecord[]> {
  return (await byIdNumber.all(db, q)).map(fromDossierRow);
}

/**
 * Live dossiers of the same procedure and receipt day with the same name key or the same phone;
 * with `idless`, only those without an applicant identifier (the only ones a record that has one
 * can be matched with this way).
 */
export async function findBySameDay(
  db: Db,
  q: { procedure: string; day: string; by: 'name' | 'phone'; key: string; idless: boolean },
): Promise<DossierRecord[]> {
  const probe = PROBES[q.by][q.idless ? 'idless' : 'any'];
  return (await probe.all(db, { procedure: q.procedure, day: q.day, key: q.key })).map(fromDossierRow);
}
