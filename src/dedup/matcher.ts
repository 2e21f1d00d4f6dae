/**
 * Dual-entry matching at intake. Candidates come only from indexed blocking keys (applicant identifier
 * + procedure + receipt range; procedure + receipt day + name key or phone), so the cost of a lookup
 * does not grow with the store. Each candidate is scored field by field with reasons.
 *
 * Precision first: a wrong merge sends one citizen's result to another. An automatic merge therefore
 * needs every hard gate (another source system, same procedure, same applicant identifier on both
 * sides, receipts within the window) AND a score above the merge threshold AND no rival candidate.
 * A record without an identifier on either side can at most be held for review.
 */
import type { DedupConfig } from '../../schemas/config.js';
import type { DossierData } from '../../schemas/dossier.js';
import type { DossierRecord } from '../intake/dossier.row.js';
import { sourceSystemsOf } from '../intake/source.store.js';
import { parseInstant } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { blockingKeys } from './blocking.js';
import { findByIdNumber, findBySameDay } from './candidate.store.js';
import { addressLineSimilarity, nameSimilarity } from './similarity.js';

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

export type MatchDecision =
  | { kind: 'new'; candidates: Candidate[] }
  | { kind: 'merge'; target: Candidate; dossier: DossierRecord; candidates: Candidate[] }
  | { kind: 'review'; candidates: Candidate[] };

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Scores one stored dossier against an incoming record; pure, for tests and the review screen. */
export function scoreCandidate(
  incoming: { system: string; data: DossierData },
  stored: { dossier: DossierRecord; systems: readonly string[] },
  config: DedupConfig,
): Candidate {
  const a = incoming.data;
  const b = stored.dossier.data;
  const w = config.weights;
  const reasons: Reason[] = [];
  const gates: boolean[] = [];

  const otherSystem = !stored.systems.includes(incoming.system);
  gates.push(otherSystem);
  reasons.push({
    field: 'source',
    note: otherSystem
      ? `from another system (${stored.systems.join(', ')})`
      : `the same system ${incoming.system} already holds this dossier under another record id`,
  });
  const sameProcedure = a.procedure.code === b.procedure.code;
  gates.push(sameProcedure);
  reasons.push({
    field: 'procedure',
    note: sameProcedure ? `same procedure ${a.procedure.code}` : 'different procedures',
  });

  const idA = a.applicant.idNumber;
  const idB = b.applicant.idNumber;
  const sameId = idA !== undefined && idA === idB;
  gates.push(sameId);
  reasons.push({
    field: 'identifier',
    note:
      idA === undefined || idB === undefined
        ? 'no applicant identifier on one side: review only'
        : sameId
          ? `same ${a.applicant.idKind ?? 'id'} number`
          : 'different applicant identifiers',
  });
  const gap = Math.abs(parseInstant(a.receivedAt) - parseInstant(b.receivedAt));
  const inWindow = gap <= config.windowMs;
  gates.push(inWindow);
  reasons.push({
    field: 'receipt',
    note: `received ${round(gap / 3_600_000)} h apart${inWindow ? '' : ' (outside the window)'}`,
  });

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
  feature('name', w.name, nameSimilarity(a.applicant.fullName, b.applicant.fullName), 'applicant name');
  feature(
    'phone',
    w.phone,
    a.applicant.phone && b.applicant.phone ? (a.applicant.phone === b.applicant.phone ? 1 : 0) : undefined,
    'phone (normal form)',
  );
  const addrA = a.applicant.address;
  const addrB = b.applicant.address;
  let addressSim: number | undefined;
  if (addrA && addrB) {
    const parts: number[] = [];
    if (addrA.communeCode && addrB.communeCode) parts.push(addrA.communeCode === addrB.communeCode ? 1 : 0);
    if (addrA.line && addrB.line) parts.push(addressLineSimilarity(addrA.line, addrB.line));
    else if (addrA.original && addrB.original)
      parts.push(addressLineSimilarity(addrA.original, addrB.original));
    if (parts.length > 0) addressSim = parts.reduce((x, y) => x + y, 0) / parts.length;
  }
  feature('address', w.address, addressSim, 'address');
  feature('agency', w.agency, a.agency.code === b.agency.code ? 1 : 0, 'agency');
  const hashesA = new Set(a.documents.flatMap((d) => (d.sha256 ? [d.sha256] : [])));
  const hashesB = b.documents.flatMap((d) => (d.sha256 ? [d.sha256] : []));
  feature(
    'documents',
    w.documents,
    hashesA.size > 0 && hashesB.length > 0 ? (hashesB.some((h) => hashesA.has(h)) ? 1 : 0) : undefined,
    'shared document hashes',
  );
  const score = weight > 0 ? round(total / weight) : 0;
  return {
    dossierId: stored.dossier.id,
    code: stored.dossier.code,
    score,
    autoMergeable: gates.every(Boolean),
    reasons,
  };
}

/** Finds and scores the candidates for an incoming record, and decides: merge, review or new. */
export async function matchDossier(
  db: Db,
  incoming: { system: string; data: DossierData },
  config: DedupConfig,
): Promise<MatchDecision> {
  const data = incoming.data;
  const received = parseInstant(data.receivedAt);
  const keys = blockingKeys(data);
  const found = new Map<string, DossierRecord>();
  if (data.applicant.idNumber) {
    const byId = await findByIdNumber(db, {
      idNumber: data.applicant.idNumber,
      procedure: data.procedure.code,
      from: received - config.windowMs,
      to: received + config.windowMs,
    });
    for (const d of byId) found.set(d.id, d);
  }
  // Records with no identifier on one side: same procedure, same day, and the same name or phone.
  // Two exact index probes (not one OR), so the lookup stays flat however many dossiers share the day.
  const probes: { by: 'name' | 'phone'; key: string }[] = [{ by: 'name', key: keys.applicant_name_key }];
  if (keys.applicant_phone) probes.push({ by: 'phone', key: keys.applicant_phone });
  for (const probe of probes) {
    const sameDay = await findBySameDay(db, {
      procedure: data.procedure.code,
      day: keys.received_day,
      ...probe,
      // A record with an identifier meets the others through the identifier probe above.
      idless: data.applicant.idNumber !== undefined,
    });
    for (const d of sameDay) {
      const oneSideWithoutId = d.data.applicant.idNumber === undefined || !data.applicant.idNumber;
      if (oneSideWithoutId) found.set(d.id, d);
    }
  }
  if (found.size === 0) return { kind: 'new', candidates: [] };
  const sources = await sourceSystemsOf(db, [...found.keys()]);
  const candidates = [...found.values()]
    .map((dossier) =>
      scoreCandidate(
        incoming,
        {
          dossier,
          systems: sources.filter((s) => s.dossierId === dossier.id).map((s) => s.system),
        },
        config,
      ),
    )
    .map((c) => ({ ...c, autoMergeable: c.autoMergeable && found.get(c.dossierId)?.held === false }))
    .sort((x, y) => y.score - x.score);
  const mergeable = candidates.filter((c) => c.autoMergeable && c.score >= config.mergeThreshold);
  // Every hard gate holds but the details disagree (a mistyped id, or a second application): a person decides.
  const reviewable = candidates.filter((c) => c.score >= config.reviewThreshold || c.autoMergeable);
  const [best] = mergeable;
  const target = best && found.get(best.dossierId);
  // The target as just read in this unit of work: the merge does not read it again.
  if (best && target && mergeable.length === 1)
    return { kind: 'merge', target: best, dossier: target, candidates };
  if (reviewable.length > 0) return { kind: 'review', candidates: reviewable };
  return { kind: 'new', candidates };
}
