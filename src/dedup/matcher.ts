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
import { parseInstant, vnDateKey } from '../lib/time.js';
import type { Db } from '../store/store.js';
import type { DossierRow } from '../store/tables.js';
import { addressLineSimilarity, nameKey, nameSimilarity } from './similarity.js';

const MAX_CANDIDATES = 20;

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
  | { kind: 'merge'; target: Candidate; candidates: Candidate[] }
  | { kind: 'review'; candidates: Candidate[] };

/** The blocking keys stored on a dossier row, derived from its canonical data. */
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

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Scores one stored dossier against an incoming record; pure, for tests and the review screen. */
export function scoreCandidate(
  incoming: { system: string; data: DossierData },
  stored: { row: DossierRow; data: DossierData; systems: readonly string[] },
  config: DedupConfig,
): Candidate {
  const a = incoming.data;
  const b = stored.data;
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
    dossierId: stored.row.id,
    code: stored.row.code,
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
  const rows = new Map<string, DossierRow>();
  if (data.applicant.idNumber) {
    const byId = await db
      .selectFrom('dossiers')
      .selectAll()
      .where('applicant_id_number', '=', data.applicant.idNumber)
      .where('procedure_code', '=', data.procedure.code)
      .where('received_at_ms', '>=', received - config.windowMs)
      .where('received_at_ms', '<=', received + config.windowMs)
      .where('merged_into', 'is', null)
      .limit(MAX_CANDIDATES)
      .execute();
    for (const r of byId) rows.set(r.id, r);
  }
  // Records with no identifier on one side: same procedure, same day, and the same name or phone.
  // Two exact index probes (not one OR), so the lookup stays flat however many dossiers share the day.
  const probes: ['applicant_name_key' | 'applicant_phone', string][] = [
    ['applicant_name_key', keys.applicant_name_key],
  ];
  if (keys.applicant_phone) probes.push(['applicant_phone', keys.applicant_phone]);
  for (const [column, value] of probes) {
    const found = await db
      .selectFrom('dossiers')
      .selectAll()
      .where('procedure_code', '=', data.procedure.code)
      .where('received_day', '=', keys.received_day)
      .where(column, '=', value)
      .where('merged_into', 'is', null)
      .limit(MAX_CANDIDATES)
      .execute();
    for (const r of found) {
      const oneSideWithoutId = r.applicant_id_number === null || !data.applicant.idNumber;
      if (oneSideWithoutId) rows.set(r.id, r);
    }
  }
  if (rows.size === 0) return { kind: 'new', candidates: [] };

  const sources = await db
    .selectFrom('dossier_sources')
    .select(['dossier_id', 'system'])
    .where('dossier_id', 'in', [...rows.keys()])
    .execute();
  const candidates = [...rows.values()]
    .map((row) =>
      scoreCandidate(
        incoming,
        {
          row,
          data: JSON.parse(row.data) as DossierData,
          systems: sources.filter((s) => s.dossier_id === row.id).map((s) => s.system),
        },
        config,
      ),
    )
    .map((c) => ({ ...c, autoMergeable: c.autoMergeable && rows.get(c.dossierId)?.held === 0 }))
    .sort((x, y) => y.score - x.score);

  const mergeable = candidates.filter((c) => c.autoMergeable && c.score >= config.mergeThreshold);
  // Every hard gate holds but the details disagree (a mistyped id, or a second application): a person decides.
  const reviewable = candidates.filter((c) => c.score >= config.reviewThreshold || c.autoMergeable);
  const [best] = mergeable;
  if (best && mergeable.length === 1) return { kind: 'merge', target: best, candidates };
  if (reviewable.length > 0) return { kind: 'review', candidates: reviewable };
  return { kind: 'new', candidates };
}
