import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../adapters/portal/answers.js';
import { backoffDelay, nextAttemptAt } from '../../src/transfers/retry.js';

const policy = { baseMs: 1000, capMs: 60_000, maxAttempts: 5, maxAgeMs: 3_600_000 };

describe('retry policy', () => {
  it('draws full-jitter delays between 0 and min(cap, base·2^(attempt-1))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelay(policy, attempt, () => r);
          const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(ceiling);
        },
      ),
    );
  });

  it('reads Retry-After as seconds and as an HTTP date', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('waits as long as Retry-After asks, and gives up after the attempts or the age run out', () => {
    const now = 1_000_000;
    expect(nextAttemptAt(policy, { attempts: 1, createdAtMs: now }, now, 90_000)).toBe(now + 90_000);
    expect(nextAttemptAt(policy, { attempts: 5, createdAtMs: now }, now, undefined)).toBeUndefined();
    expect(nextAttemptAt(policy, { attempts: 1, createdAtMs: now - 3_600_000 }, now, 1000)).toBeUndefined();
  });
});
