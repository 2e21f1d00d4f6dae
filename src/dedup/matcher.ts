/**
 * Dual-entry matching at intake (docs/dedup.md). Candidates come only from indexed blocking keys —
 * applicant identifier, name key, phone — each bounded to the record's agency and procedure and to
 * receipts within the window, so the cost of a lookup does not grow with the store and a dossier of
 * another agency is never read. Each candidate is scored field by field with reasons.
 *
 * Precision first: a wrong merge sends one citizen's result to another. An automatic merge therefore
 * needs every hard gate (another source system, same agency, same procedure, the same applicant
 * identifier on both sides, receipts within the window, names that agree, the candidate not held) AND
 * a score above the merge threshold AND no rival candidate. Identifiers that disagree in a way a clerk
 * produces (a missing one, the old CMND against the CCCD, a digit or two mistyped) can at most be held
 * for review, and two clearly different identifiers are two people.
 */
import type { DedupConfig } from '../../schemas/config.js';
import type { DossierData } from '../../schemas/dossier.js';
import type { DossierRecord } from '../intake/dossier.row.js';
import { sourceSystemsOf } from '../intake/source.store.js';
import { parseInstant } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { blockingKeys } from './blocking.js';
import { findByIdNumber, findInWindow } from './candidate.store.js';
import {
  addressLineSimilarity,
  describeTypo,
  type IdRelation,
  idRelation,
  nameSimilarity,
} from './similarity.js';

export interface Reason {
  field:
    | 'identifier'
    | 'procedure'
    | 'receipt'
    | 'source'
    | 'name'
    | 'phone'
    | 'address'
    | 'agency'
    | 'documents';
  similarity?: number;
  note: string;
}

export interface Candidate {
  dossierId: string;
  code: string;
  score: number;
  autoMergeable: boolean;
  reasons: Reason[];
}

/** A scored candidate and whether a person should decide it (when it is not merged automatically). */
export interface Assessment {
  candidate: Candidate;
  reviewable: boolean;
}

export type MatchDecision =
  | { kind: 'new'; candidates: Candidate[] }
  | { kind: 'merge'; target: Candidate; dossier: DossierRecord; candidates: Candidate[] }
  | { kind: 'review'; candidates: Candidate[]; dossiers: ReadonlyMap<string, DossierRecord> };

/** An address agrees from this similarity on (same commune, street line alike up to clerks' variations). */
const ADDRESS_AGREES = 0.8;

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

type Incoming = { system: string; data: DossierData };
type Stored = { dossier: DossierRecord; systems: readonly string[] };

const IDENTIFIER_NOTES: Record<Exclude<IdRelation, 'same' | 'typo'>, string> = {
  missing: 'no applicant identifier on one side: review only',
  other_kind: 'identifiers of different kinds (an old CMND against a CCCD, say): review only',
  different: 'different applicant identifiers: two people',
};

/** The identity gates (all but the name), each with its reason. */
function identityGates(incoming: Incoming, stored: Stored, config: DedupConfig, reasons: Reason[]) {
  const a = incoming.data;
  const b = stored.dossier.data;
  const otherSystem = !stored.systems.includes(incoming.system);
  reasons.push({
    field: 'source',
    note: otherSystem
      ? `from another system (${stored.systems.join(', ')})`
      : `the same system ${incoming.system} already holds this dossier under another record id`,
  });
  const sameProcedure = a.procedure.code === b.procedure.code;
  reasons.push({
    field: 'procedure',
    note: sameProcedure ? `same procedure ${a.procedure.code}` : 'different procedures',
  });
  const idA = a.applicant.idNumber;
  const idB = b.applicant.idNumber;
  const ids = idRelation(
    { number: idA, kind: a.applicant.idKind },
    { number: idB, kind: b.applicant.idKind },
  );
  reasons.push({
    field: 'identifier',
    note:
      ids === 'same'
        ? `same ${a.applicant.idKind ?? 'id'} number`
        : ids === 'typo'
          ? `identifiers a typo apart (${describeTypo(idA ?? '', idB ?? '')}): review only`
          : IDENTIFIER_NOTES[ids],
  });
  const gap = Math.abs(parseInstant(a.receivedAt) - parseInstant(b.receivedAt));
  const inWindow = gap <= config.windowMs;
  reasons.push({
    field: 'receipt',
    note: `received ${round(gap / 3_600_000)} h apart${inWindow ? '' : ' (outside the window)'}`,
  });
  const sameAgency = a.agency.code === b.agency.code;
  const all =
    otherSystem && sameAgency && sameProcedure && ids === 'same' && inWindow && !stored.dossier.held;
  return { all, ids, otherSystem, sameProcedure, inWindow };
}

/** The address similarity of two records, or undefined when they cannot be compared. */
function addressSimilarity(a: DossierData, b: DossierData): number | undefined {
  const addrA = a.applicant.address;
  const addrB = b.applicant.address;
  if (!addrA || !addrB) return undefined;
  const parts: number[] = [];
  if (addrA.communeCode && addrB.communeCode) parts.push(addrA.communeCode === addrB.communeCode ? 1 : 0);
  if (addrA.line && addrB.line) parts.push(addressLineSimilarity(addrA.line, addrB.line));
  else if (addrA.original && addrB.original)
    parts.push(addressLineSimilarity(addrA.original, addrB.original));
  return parts.length > 0 ? parts.reduce((x, y) => x + y, 0) / parts.length : undefined;
}

/** The weighted score over the features on both sides, the name's similarity, and what else agrees. */
function scoreFeatures(a: DossierData, b: DossierData, config: DedupConfig, reasons: Reason[]) {
  const w = config.weights;
  let total = 0;
  let weight = 0;
  const feature = (field: Reason['field'], wt: number, sim: number | undefined, note: string) => {
    if (sim === undefined) {
      reasons.push({ field, note: `${note}: not on both sides` });
      return;
    }
    total += wt * sim;
    weight += wt;
    reasons.push({ field, similarity: round(sim), note });
  };
  const name = nameSimilarity(a.applicant.fullName, b.applicant.fullName);
  const nameAgrees = name >= config.nameVeto;
  feature(
    'name',
    w.name,
    name,
    nameAgrees
      ? 'applicant name'
      : `applicant name: below the veto threshold ${config.nameVeto}, vetoes an automatic merge`,
  );
  const phone =
    a.applicant.phone && b.applicant.phone ? Number(a.applicant.phone === b.applicant.phone) : undefined;
  feature('phone', w.phone, phone, 'phone (normal form)');
  const address = addressSimilarity(a, b);
  feature('address', w.address, address, 'address');
  // Always 1 (candidates are sought only within the agency); kept in the score so scores and thresholds
  // keep their meaning, and as a hard gate.
  feature('agency', w.agency, a.agency.code === b.agency.code ? 1 : 0, 'same agency');
  const hashesA = new Set(a.documents.flatMap((d) => (d.sha256 ? [d.sha256] : [])));
  const hashesB = b.documents.flatMap((d) => (d.sha256 ? [d.sha256] : []));
  const documents =
    hashesA.size > 0 && hashesB.length > 0 ? Number(hashesB.some((h) => hashesA.has(h))) : undefined;
  feature('documents', w.documents, documents, 'shared document hashes');
  const score = weight > 0 ? round(total / weight) : 0;
  const contactAgrees = phone === 1 || (address ?? 0) >= ADDRESS_AGREES || documents === 1;
  return { score, nameAgrees, contactAgrees };
}

/** Scores one stored dossier against an incoming record; pure, for tests and the review screen. */
export function assessCandidate(incoming: Incoming, stored: Stored, config: DedupConfig): Assessment {
  const reasons: Reason[] = [];
  const gates = identityGates(incoming, stored, config, reasons);
  const { score, nameAgrees, contactAgrees } = scoreFeatures(
    incoming.data,
    stored.dossier.data,
    config,
    reasons,
  );
  const autoMergeable = gates.all && nameAgrees;
  let reviewable: boolean;
  if (gates.ids === 'different') reviewable = false;
  // The identifier says the same person: a score worth a look, or every identity gate with details
  // that disagree (a mistyped id, someone else's id, a vetoed name), goes to a person.
  else if (gates.ids === 'same') reviewable = score >= config.reviewThreshold || gates.all;
  // Identifiers that disagree as a clerk's do: the same dossier by everything else goes to a person.
  else reviewable = gates.otherSystem && gates.sameProcedure && gates.inWindow && nameAgrees && contactAgrees;
  return {
    candidate: { dossierId: stored.dossier.id, code: stored.dossier.code, score, autoMergeable, reasons },
    reviewable,
  };
}

/** Reads the candidates of an incoming record through the blocking keys, within its agency only. */
async function findCandidates(db: Db, data: DossierData, config: DedupConfig) {
  const received = parseInstant(data.receivedAt);
  const range = {
    agency: data.agency.code,
    procedure: data.procedure.code,
    from: received - config.windowMs,
    to: received + config.windowMs,
  };
  const keys = blockingKeys(data);
  const found = new Map<string, DossierRecord>();
  const add = (dossiers: DossierRecord[]) => {
    for (const d of dossiers) found.set(d.id, d);
  };
  const idNumber = data.applicant.idNumber;
  if (idNumber) add(await findByIdNumber(db, { ...range, idNumber }));
  // Whatever the identifiers: one missing, another kind or a typo is only seen by comparing them.
  add(await findInWindow(db, { ...range, by: 'name', key: keys.applicant_name_key }));
  if (keys.applicant_phone) add(await findInWindow(db, { ...range, by: 'phone', key: keys.applicant_phone }));
  return found;
}

/** Finds and scores the candidates for an incoming record, and decides: merge, review or new. */
export async function matchDossier(db: Db, incoming: Incoming, config: DedupConfig): Promise<MatchDecision> {
  const found = await findCandidates(db, incoming.data, config);
  if (found.size === 0) return { kind: 'new', candidates: [] };
  const sources = await sourceSystemsOf(db, [...found.keys()]);
  const assessed = [...found.values()]
    .map((dossier) => {
      const systems = sources.filter((s) => s.dossierId === dossier.id).map((s) => s.system);
      return assessCandidate(incoming, { dossier, systems }, config);
    })
    .sort((x, y) => y.candidate.score - x.candidate.score);
  const candidates = assessed.map((a) => a.candidate);
  const mergeable = candidates.filter((c) => c.autoMergeable && c.score >= config.mergeThreshold);
  const reviewable = assessed.filter((a) => a.reviewable).map((a) => a.candidate);
  const [best] = mergeable;
  const target = best && found.get(best.dossierId);
  // The target as just read in this unit of work: the merge does not read it again.
  if (best && target && mergeable.length === 1)
    return { kind: 'merge', target: best, dossier: target, candidates };
  if (reviewable.length > 0) return { kind: 'review', candidates: reviewable, dossiers: found };
  return { kind: 'new', candidates };
}
