/**
 * Pure helpers over the canonical fields: a pushed record normalised to DossierData, and the time a
 * status became current when a dossier is pushed whole.
 */
import type { Address, DossierData, DossierInput, DossierStatus } from '../../schemas/dossier.js';
import { canonicalText } from '../lib/plain.js';
import { normaliseInstant, parseInstant } from '../lib/time.js';

function copyAddress(a: Address | undefined): Address | undefined {
  return a ? { ...a } : undefined;
}

/** The canonical fields of a pushed dossier, instants normalised to +07:00, no undefined members. */
export function toData(input: DossierInput): DossierData {
  const t = (v: string | undefined) => (v === undefined ? undefined : normaliseInstant(v));
  const data: DossierData = {
    procedure: input.procedure,
    sector: input.sector,
    agency: input.agency,
    applicant: { ...input.applicant, address: copyAddress(input.applicant.address) },
    summary: input.summary,
    channel: input.channel,
    submittedAt: t(input.submittedAt),
    submissionPlace: input.submissionPlace,
    receivedAt: normaliseInstant(input.receivedAt),
    dueAt: t(input.dueAt),
    resolvedAt: t(input.resolvedAt),
    returnedAt: t(input.returnedAt),
    rejectedAt: t(input.rejectedAt),
    resultReturn: {
      method: input.resultReturn.method,
      address: copyAddress(input.resultReturn.address),
    },
    documents: input.documents,
    fees: input.fees,
    onlinePayment: input.onlinePayment,
    nationalDatabases: input.nationalDatabases,
    results: input.results,
    note: input.note,
  };
  return canonicalText(data);
}

/** When a status became current, for a dossier pushed whole (no event time of its own). */
export function statusTimeOf(data: DossierData, status: DossierStatus, fallbackMs: number): number {
  const at =
    status === 'resolved'
      ? data.resolvedAt
      : status === 'returned'
        ? data.returnedAt
        : status === 'rejected'
          ? data.rejectedAt
          : status === 'received' || status === 'submitted'
            ? data.receivedAt
            : undefined;
  return at ? parseInstant(at) : fallbackMs;
}
