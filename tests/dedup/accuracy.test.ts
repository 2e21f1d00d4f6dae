import { describe, expect, it } from 'vitest';
import { measureAccuracy } from '../../scripts/dedup/accuracy.js';
import { generatePairs } from '../../scripts/dedup/generate.js';

describe('dedup accuracy on generated dual-entry data', () => {
  it('auto-merges true dual entries (recall ≥ 0.98) and never a near miss (precision ≥ 0.999)', async () => {
    const pairs = generatePairs({
      count: 1200,
      seed: 20261128,
      agencies: ['000.00.15.H24', '000.00.16.H24'],
    });
    const r = await measureAccuracy(pairs);
    expect(r.falseMerges).toEqual([]);
    expect(r.precision).toBeGreaterThanOrEqual(0.999);
    expect(r.recall).toBeGreaterThanOrEqual(0.98);
    // records without an identifier on one side are never merged automatically, only held for review
    expect(r.byVariant['dual_entry:missing_id']?.merged).toBe(0);
    expect(r.missingIdCaughtForReview).toBe(r.dualEntries - r.eligible);
    expect(r.byVariant['near_miss:same_system']?.merged).toBe(0);
  });
});
