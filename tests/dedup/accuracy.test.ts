/**
 * A smaller run of `npm run dedup:accuracy` (docs/dedup.md): every kind of true dual entry is caught,
 * none is merged into the wrong dossier, no near miss is merged, and the kinds whose identifiers disagree
 * or whose names do reach a person instead of a merge. A regression in any kind fails the build.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type AccuracyReport, measureAccuracy, TARGETS } from '../../scripts/dedup/accuracy.js';
import { DUAL_ENTRY_VARIANTS, generatePairs, NEAR_MISS_VARIANTS } from '../../scripts/dedup/generate.js';

let r: AccuracyReport;
beforeAll(async () => {
  const pairs = generatePairs({ count: 2400, seed: 20261128, agencies: ['000.00.15.H24', '000.00.16.H24'] });
  r = await measureAccuracy(pairs);
}, 120_000);

const kind = (key: string) => {
  const k = r.byKind[key];
  if (!k) throw new Error(`no pairs of kind ${key}`);
  return k;
};

describe('dedup accuracy on generated dual-entry data (2,400 pairs)', () => {
  it('has every kind of pair, dozens of each', () => {
    const keys = [
      ...DUAL_ENTRY_VARIANTS.map((v) => `dual_entry:${v}`),
      ...NEAR_MISS_VARIANTS.map((v) => `near_miss:${v}`),
    ];
    expect(Object.keys(r.byKind).sort()).toEqual(keys.sort());
    expect(Math.min(...keys.map((k) => kind(k).n))).toBeGreaterThanOrEqual(50);
  });

  it(`catches every kind of true dual entry (merged or held) at least ${TARGETS.caughtPerKind} of the time`, () => {
    const below = DUAL_ENTRY_VARIANTS.map((v) => kind(`dual_entry:${v}`))
      .filter((k) => k.caught < TARGETS.caughtPerKind)
      .map((k) => `${k.variant}: ${k.caught}`);
    expect(below).toEqual([]);
    expect(r.missed).toEqual([]);
  });

  it('never merges wrongly: no near miss, no dual entry into another dossier', () => {
    expect(r.wrongMerges).toEqual([]);
    expect(r.merged.wrong).toBe(0);
    expect(r.precision).toBeGreaterThanOrEqual(TARGETS.precision);
    expect(NEAR_MISS_VARIANTS.map((v) => [v, kind(`near_miss:${v}`).merged])).toEqual(
      NEAR_MISS_VARIANTS.map((v) => [v, 0]),
    );
  });

  it(`merges automatically the dual entries with the same id on both sides (recall ≥ ${TARGETS.recall})`, () => {
    expect(r.recall).toBeGreaterThanOrEqual(TARGETS.recall);
  });

  it('sends identifiers that disagree to review, never to a merge', () => {
    for (const v of ['cmnd_cccd', 'id_typo_swap', 'id_typo_digit', 'missing_id', 'next_day_missing_id']) {
      expect([v, kind(`dual_entry:${v}`).merged]).toEqual([v, 0]);
    }
  });

  it('sends two people behind one id number to review: the spouse and another person keyed with the id', () => {
    for (const v of ['spouse', 'id_collision']) {
      const k = kind(`near_miss:${v}`);
      expect([v, k.held]).toEqual([v, k.n]);
    }
  });

  it('reports the review load, the share of pairs held for a person', () => {
    const held = Object.values(r.byKind).reduce((n, k) => n + k.held, 0);
    expect(r.reviewLoad).toBeCloseTo(held / r.pairs, 10);
    expect(r.ok).toBe(true);
  });
});
