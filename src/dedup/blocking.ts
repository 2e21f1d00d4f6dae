/**
 * The dedup blocking keys stored on each dossier row (docs/dedup.md): candidates are found only
 * through these indexed columns, so a lookup costs the same however large the store grows.
 */
import type { DossierData } from '../../schemas/dossier.js';
import { parseInstant, vnDateKey } from '../lib/time.js';
import { nameKey } from './similarity.js';

/** The blocking keys of a dossier, derived from its canonical data. */
export function blockingKeys(data: DossierData): {
  applicant_name_key: string;
  applicant_phone: string | null;
  received_day: string;
} {
  return {
    applicant_name_key: nameKey(data.applicant.fullName),
    applicant_phone: data.applicant.phone ?? null,
    received_day: vnDateKey(parseInstant(data.receivedAt)),
  };
}
