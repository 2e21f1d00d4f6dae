/**
 * Dedup accuracy on generated dual-entry data: pushes each pair through the real intake (a by system A,
 * then b by system B) and counts automatic merges. Precision = right merges / all merges; recall =
 * right merges / true dual entries that may auto-merge (an identifier on both sides: without one, the
 * rules allow review only, so those are reported as "caught for review" instead).
 *
 *   npm run --silent dedup:accuracy [-- --pairs 10000 --seed 1]
 * Exits non-zero when precision < 0.999 or recall < 0.98.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../../schemas/config.js';
import { DossierInputSchema } from '../../schemas/dossier.js';
import type { Principal } from '../../src/clients/client.service.js';
import type { IntakeDeps } from '../../src/intake/intake.context.js';
import { writeContext } from '../../src/intake/intake.context.js';
import { push } from '../../src/intake/push.js';
import { systemClock } from '../../src/lib/time.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { sqlOutbox } from '../../src/transfers/outbox.js';
import { tempDbPath } from '../../tests/helpers/gateway.js';
import { type GeneratedPair, generatePairs } from './generate.js';

const AGENCIES = ['000.00.15.H24', '000.00.16.H24', '000.00.17.H24', '000.00.18.H24'];

export interface AccuracyReport {
  pairs: number;
  dualEntries: number;
  eligible: number;
  nearMisses: number;
  merged: { right: number; wrong: number };
  precision: number;
  recall: number;
  recallAll: number;
  missingIdCaughtForReview: number;
  nearMissHeldForReview: number;
  byVariant: Record<string, { n: number; merged: number; held: number; created: number }>;
  falseMerges: { id: string; variant: string }[];
  missed: { id: string; variant: string; outcome: string }[];
  ok: boolean;
}

/** Runs the pairs through intake on a fresh store and scores the outcomes. */
export async function measureAccuracy(
  pairs: GeneratedPair[],
  env: Record<string, string> = {},
): Promise<AccuracyReport> {
  const config = parseConfig(env);
  const store = openSqliteStore(tempDbPath(), { groupCommit: false });
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
  const byVariant: AccuracyReport['byVariant'] = {};
  const report = { right: 0, wrong: 0, eligible: 0, dual: 0, near: 0, missingIdHeld: 0, nearHeld: 0 };
  const falseMerges: AccuracyReport['falseMerges'] = [];
  const missed: AccuracyReport['missed'] = [];
  for (const pair of pairs) {
    const sa = pair.a.source.system ?? 'motcua';
    const sb = pair.b.source.system ?? 'xaydung';
    const a = await store.transaction((trx) =>
      push(writeContext(trx, intake), principal(sa), DossierInputSchema.parse(pair.a)),
    );
    const b = await store.transaction((trx) =>
      push(writeContext(trx, intake), principal(sb), DossierInputSchema.parse(pair.b)),
    );
    const merged = b.outcome === 'merged' && b.dossierId === a.dossierId;
    const key = `${pair.kind}:${pair.variant}`;
    const v = byVariant[key] ?? { n: 0, merged: 0, held: 0, created: 0 };
    byVariant[key] = v;
    v.n += 1;
    if (merged) v.merged += 1;
    else if (b.outcome === 'held_for_review') v.held += 1;
    else v.created += 1;
    const hasIds = Boolean(pair.a.applicant.idNumber && pair.b.applicant.idNumber);
    if (pair.kind === 'dual_entry') {
      report.dual += 1;
      if (hasIds) report.eligible += 1;
      if (merged) report.right += 1;
      else if (hasIds && missed.length < 50)
        missed.push({ id: pair.id, variant: pair.variant, outcome: b.outcome });
      if (!hasIds && b.outcome === 'held_for_review') report.missingIdHeld += 1;
    } else {
      report.near += 1;
      if (merged || b.outcome === 'merged') {
        report.wrong += 1;
        falseMerges.push({ id: pair.id, variant: pair.variant });
      }
      if (b.outcome === 'held_for_review') report.nearHeld += 1;
    }
  }
  await store.close();
  const precision = report.right + report.wrong === 0 ? 1 : report.right / (report.right + report.wrong);
  const recall = report.eligible === 0 ? 1 : report.right / report.eligible;
  return {
    pairs: pairs.length,
    dualEntries: report.dual,
    eligible: report.eligible,
    nearMisses: report.near,
    merged: { right: report.right, wrong: report.wrong },
    precision,
    recall,
    recallAll: report.dual === 0 ? 1 : report.right / report.dual,
    missingIdCaughtForReview: report.missingIdHeld,
    nearMissHeldForReview: report.nearHeld,
    byVariant,
    falseMerges,
    missed,
    ok: precision >= 0.999 && recall >= 0.98,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { pairs: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } },
  });
  const pairs = generatePairs({ count: Number(values.pairs), seed: Number(values.seed), agencies: AGENCIES });
  const t0 = performance.now();
  const r = await measureAccuracy(pairs);
  process.stdout.write(`${JSON.stringify({ ...r, seconds: (performance.now() - t0) / 1000 }, null, 2)}\n`);
  process.stdout.write(
    `dedup accuracy on ${r.pairs} pairs: precision ${r.precision.toFixed(4)} (target ≥ 0.999), recall ${r.recall.toFixed(4)} on ${r.eligible} dual entries with ids (target ≥ 0.98); ${r.missingIdCaughtForReview} of ${r.dualEntries - r.eligible} without an id held for review\n`,
  );
  process.exitCode = r.ok ? 0 : 1;
}
