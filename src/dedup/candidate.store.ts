/**
 * Candidate lookups for dual-entry matching: exact probes of indexed blocking keys only
 * (docs/dedup.md), so the cost of a lookup does not grow with the store. Every probe is bounded to the
 * incoming record's agency and procedure and to receipts within the window: a dossier of another agency
 * is never read. Each probe is one prepared statement, served by one index (migration 0008) whose
 * columns are the key, the agency, the procedure and the receipt time, in that order.
 */
import { type DossierRecord, fromDossierRow } from '../intake/dossier.row.js';
import { literalLimit, prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';

/** At most this many rows per probe. */
export const MAX_CANDIDATES = 20;

/** Where a candidate may be: the agency, the procedure, and receipts within [from, to]. */
export interface CandidateRange {
  agency: string;
  procedure: string;
  from: number;
  to: number;
}

type Probe = CandidateRange & { key: string };

const KEY_COLUMNS = {
  id: 'applicant_id_number',
  name: 'applicant_name_key',
  phone: 'applicant_phone',
} as const;

const probe = (column: (typeof KEY_COLUMNS)[keyof typeof KEY_COLUMNS]) =>
  prepared<Probe>()((db, p) =>
    db
      .selectFrom('dossiers')
      .selectAll()
      .where(column, '=', p.key)
      .where('agency_code', '=', p.agency)
      .where('procedure_code', '=', p.procedure)
      .where('received_at_ms', '>=', p.from)
      .where('received_at_ms', '<=', p.to)
      .where('merged_into', 'is', null)
      .limit(literalLimit(MAX_CANDIDATES)),
  );

const PROBES = { id: probe(KEY_COLUMNS.id), name: probe(KEY_COLUMNS.name), phone: probe(KEY_COLUMNS.phone) };

/** Live dossiers of the same applicant identifier, agency and procedure received within the window. */
export async function findByIdNumber(
  db: Db,
  q: CandidateRange & { idNumber: string },
): Promise<DossierRecord[]> {
  const { idNumber, ...range } = q;
  return (await PROBES.id.all(db, { ...range, key: idNumber })).map(fromDossierRow);
}

/**
 * Live dossiers of the same agency and procedure received within the window with the same name key
 * (order-free, folded) or the same phone (E.164), whatever their identifiers: the matcher compares
 * those (docs/dedup.md).
 */
export async function findInWindow(
  db: Db,
  q: CandidateRange & { by: 'name' | 'phone'; key: string },
): Promise<DossierRecord[]> {
  const { by, ...values } = q;
  return (await PROBES[by].all(db, values)).map(fromDossierRow);
}
