/**
 * Dedup accuracy on generated dual-entry data: pushes each pair through the real intake (a by system A,
 * then b by system B) and counts, per kind of pair, how often b was merged into a, held for review, or
 * kept apart (a dossier of its own).
 *
 * Targets (docs/dedup.md):
 * - every kind of true dual entry is caught (merged or held for review) at least 98% of the time;
 * - no wrong automatic merge: a near miss is never merged, a dual entry never into another dossier;
 * - precision of the automatic merges ≥ 0.999, and recall ≥ 0.98 on the dual entries whose two sides carry
 *   the same identifier (the only ones the rules let merge without a person);
 * - the review load (share of pairs held) is reported, not bounded.
 *
 *   npm run --silent dedup:accuracy [-- --pairs 10000 --seed 1 --json]
 * Exits non-zero when a target is missed.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../../schemas/config.js';
import { type DossierInput, DossierInputSchema } from '../../schemas/dossier.js';
import type { Principal } from '../../src/clients/client.service.js';
import { nameSimilarity } from '../../src/dedup/similarity.js';
import type { IntakeDeps } from '../../src/intake/intake.context.js';
import { writeContext } from '../../src/intake/intake.context.js';
import { push } from '../../src/intake/push.js';
import { systemClock } from '../../src/lib/time.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { sqlOutbox } from '../../src/transfers/outbox.js';
import { removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { type GeneratedPair, generatePairs } from './generate.js';

const AGENCIES = ['000.00.15.H24', '000.00.16.H24', '000.00.17.H24', '000.00.18.H24'];

export const TARGETS = { caughtPerKind: 0.98, precision: 0.999, recall: 0.98, wrongMerges: 0 } as const;

export interface KindResult {
  kind: GeneratedPair['kind'];
  variant: string;
  n: number;
  merged: number;
  held: number;
  apart: number;
  /** Dual entries: (merged + held) / n; near misses: apart / n. */
  caught: number;
  /** The applicant-name similarity of the two sides, lowest and highest over the kind. */
  name: { min: number; max: number };
}

export interface AccuracyReport {
  pairs: number;
  /** Keyed `dual_entry:<variant>` or `near_miss:<variant>`. */
  byKind: Record<string, KindResult>;
  dualEntries: number;
  /** Dual entries merged or held for review, over all dual entries. */
  caught: number;
  /** Dual entries with the same identifier on both sides (the ones that may merge without a person). */
  eligible: number;
  merged: { right: number; wrong: number };
  precision: number;
  recall: number;
  /** Pairs whose second record was held for review, over all pairs. */
  reviewLoad: number;
  wrongMerges: { id: string; variant: string }[];
  /** Dual entries kept apart (at most 50 listed). */
  missed: { id: string; variant: string }[];
  /** The targets missed, in words; empty when every target is met. */
  failures: string[];
  ok: boolean;
}

type Outcome = 'merged' | 'held' | 'apart';

/** Runs the pairs through intake on a fresh store and scores the outcomes. */
export async function measureAccuracy(
  pairs: GeneratedPair[],
  env: Record<string, string> = {},
): Promise<AccuracyReport> {
  const config = parseConfig(env);
  const dbPath = tempDbPath();
  const store = openSqliteStore(dbPath, { groupCommit: false });
  store.sqlite.pragma('synchronous = OFF'); // logic only: durability is not what is measured here
  await migrateToLatest(store.db);
  const intake = { outbox: sqlOutbox, dedup: config.dedup, clock: systemClock } satisfies IntakeDeps;
  const principal = (system: string): Principal => ({
    id: system,
    name: system,
    role: 'department',
    system,
    agencies: AGENCIES,
  });
  const pushAs = (system: string, body: DossierInput) =>
    store.transaction((trx) => push(writeContext(trx, intake), principal(system), body));
  const tally = new Tally();
  try {
    for (const pair of pairs) {
      const a = DossierInputSchema.parse(pair.a);
      const b = DossierInputSchema.parse(pair.b);
      const first = await pushAs(pair.a.source.system ?? 'motcua', a);
      const second = await pushAs(pair.b.source.system ?? 'xaydung', b);
      const into = second.outcome === 'merged' ? second.dossierId : undefined;
      tally.add(pair, { a, b }, second.outcome === 'held_for_review' ? 'held' : into ? 'merged' : 'apart', {
        intoOther: into !== undefined && into !== first.dossierId,
      });
    }
  } finally {
    await store.close();
    removeTempDb(dbPath);
  }
  return tally.report(pairs.length);
}

/** Counts outcomes per kind and the figures of the summary. */
class Tally {
  readonly byKind: Record<string, KindResult> = {};
  dual = 0;
  eligible = 0;
  right = 0;
  wrong = 0;
  held = 0;
  readonly wrongMerges: AccuracyReport['wrongMerges'] = [];
  readonly missed: AccuracyReport['missed'] = [];

  add(
    pair: GeneratedPair,
    parsed: { a: DossierInput; b: DossierInput },
    outcome: Outcome,
    o: { intoOther: boolean },
  ) {
    const key = `${pair.kind}:${pair.variant}`;
    const sim = nameSimilarity(parsed.a.applicant.fullName, parsed.b.applicant.fullName);
    const k = this.byKind[key] ?? {
      kind: pair.kind,
      variant: pair.variant,
      n: 0,
      merged: 0,
      held: 0,
      apart: 0,
      caught: 0,
      name: { min: sim, max: sim },
    };
    this.byKind[key] = k;
    k.n += 1;
    k[outcome] += 1;
    k.name = { min: Math.min(k.name.min, sim), max: Math.max(k.name.max, sim) };
    if (outcome === 'held') this.held += 1;
    const wrongMerge = outcome === 'merged' && (pair.kind === 'near_miss' || o.intoOther);
    if (wrongMerge) {
      this.wrong += 1;
      this.wrongMerges.push({ id: pair.id, variant: pair.variant });
    }
    if (pair.kind !== 'dual_entry') return;
    this.dual += 1;
    const idA = parsed.a.applicant.idNumber;
    if (idA !== undefined && idA === parsed.b.applicant.idNumber) this.eligible += 1;
    if (outcome === 'merged' && !o.intoOther) this.right += 1;
    if (outcome === 'apart' && this.missed.length < 50)
      this.missed.push({ id: pair.id, variant: pair.variant });
  }

  report(pairs: number): AccuracyReport {
    const failures: string[] = [];
    let caught = 0;
    for (const [key, k] of Object.entries(this.byKind)) {
      k.caught = (k.kind === 'dual_entry' ? k.merged + k.held : k.apart + k.held) / k.n;
      if (k.kind === 'dual_entry') caught += k.merged + k.held;
      if (k.kind === 'dual_entry' && k.caught < TARGETS.caughtPerKind)
        failures.push(`${key}: ${fmt(k.caught)} caught (target ≥ ${TARGETS.caughtPerKind})`);
    }
    const precision = this.right + this.wrong === 0 ? 1 : this.right / (this.right + this.wrong);
    const recall = this.eligible === 0 ? 1 : this.right / this.eligible;
    if (this.wrong > TARGETS.wrongMerges) failures.push(`${this.wrong} wrong automatic merges (target 0)`);
    if (precision < TARGETS.precision)
      failures.push(`precision ${fmt(precision)} (target ≥ ${TARGETS.precision})`);
    if (recall < TARGETS.recall) failures.push(`recall ${fmt(recall)} (target ≥ ${TARGETS.recall})`);
    return {
      pairs,
      byKind: this.byKind,
      dualEntries: this.dual,
      caught: this.dual === 0 ? 1 : caught / this.dual,
      eligible: this.eligible,
      merged: { right: this.right, wrong: this.wrong },
      precision,
      recall,
      reviewLoad: pairs === 0 ? 0 : this.held / pairs,
      wrongMerges: this.wrongMerges,
      missed: this.missed,
      failures,
      ok: failures.length === 0,
    };
  }
}

const fmt = (x: number) => x.toFixed(4);

/** The report as a table per kind and a summary, for people. */
export function formatReport(r: AccuracyReport, seconds: number): string {
  const rows = Object.entries(r.byKind).sort(([x], [y]) => x.localeCompare(y));
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [
    `${'kind'.padEnd(40)}${pad('n', 6)}${pad('merged', 8)}${pad('held', 6)}${pad('apart', 7)}${pad('caught', 8)}  name sim`,
    ...rows.map(
      ([key, k]) =>
        `${key.padEnd(40)}${pad(k.n, 6)}${pad(k.merged, 8)}${pad(k.held, 6)}${pad(k.apart, 7)}${pad(k.kind === 'dual_entry' ? k.caught.toFixed(3) : '', 8)}  ${k.name.min.toFixed(3)}–${k.name.max.toFixed(3)}`,
    ),
    '',
    `dedup accuracy on ${r.pairs} pairs (${seconds.toFixed(1)} s):`,
    `  true dual entries caught (merged or held): ${fmt(r.caught)} of ${r.dualEntries}; lowest kind ${fmt(Math.min(...rows.filter(([, k]) => k.kind === 'dual_entry').map(([, k]) => k.caught)))} (target ≥ ${TARGETS.caughtPerKind} per kind)`,
    `  wrong automatic merges: ${r.merged.wrong} (target 0); precision ${fmt(r.precision)} (target ≥ ${TARGETS.precision})`,
    `  recall of automatic merges on ${r.eligible} dual entries with the same id on both sides: ${fmt(r.recall)} (target ≥ ${TARGETS.recall})`,
    `  review load: ${fmt(r.reviewLoad)} of pairs held for review`,
    r.ok ? '  every target met' : `  targets missed: ${r.failures.join('; ')}`,
  ];
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      pairs: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const pairs = generatePairs({ count: Number(values.pairs), seed: Number(values.seed), agencies: AGENCIES });
  const t0 = performance.now();
  const r = await measureAccuracy(pairs);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    values.json ? `${JSON.stringify({ ...r, seconds }, null, 2)}\n` : formatReport(r, seconds),
  );
  process.exitCode = r.ok ? 0 : 1;
}
