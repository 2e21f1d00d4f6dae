import { describe, expect, it } from 'vitest';
import { RateGovernor } from '../../src/transfers/rate.js';

/** Drives the governor against a destination that takes `capacity` calls per wall-clock second. */
function simulate(capacity: number, seconds: number) {
  const start = 1_000_000;
  let t = start;
  const g = new RateGovernor(() => t);
  const calls: number[] = [];
  let second = -1;
  let inSecond = 0;
  let ok = 0;
  let limited = 0;
  for (let step = 0; step < seconds * 200; step++) {
    t += 5;
    while (calls.length > 0 && (calls[0] ?? 0) <= t - 1000) calls.shift();
    const cap = g.perSecond;
    if (cap !== undefined && calls.length >= cap) continue;
    calls.push(t);
    if (Math.floor(t / 1000) !== second) {
      second = Math.floor(t / 1000);
      inSecond = 0;
    }
    inSecond += 1;
    if (inSecond > capacity) {
      limited += 1;
      g.limited();
      t += 1000; // Retry-After: 1
    } else {
      ok += 1;
      g.succeeded();
    }
  }
  return { rate: ok / ((t - start) / 1000), limited, cap: g.perSecond };
}

describe('rate governor', () => {
  it('learns a capacity from 429s and then runs close to it with few 429s', () => {
    const r = simulate(12, 300);
    expect(r.rate).toBeGreaterThan(12 * 0.9);
    expect(r.rate).toBeLessThanOrEqual(12);
    expect(r.limited).toBeLessThan(30);
    expect(r.cap).toBeLessThanOrEqual(12);
  });

  it('learns nothing from a 429 when no call went through lately', () => {
    const g = new RateGovernor(() => 5_000);
    g.limited();
    expect(g.perSecond).toBeUndefined();
  });

  it('puts no cap on a destination that never answers 429', () => {
    const g = new RateGovernor(() => 0);
    g.succeeded();
    expect(g.perSecond).toBeUndefined();
  });
});
