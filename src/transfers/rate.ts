/**
 * Learns a destination's capacity from its 429 answers (additive increase, multiplicative decrease), so
 * a drain runs just under the limit instead of bouncing off it. Before the first 429 there is no cap;
 * a 429 caps the call rate just under (one less, or 5% less when large) the most calls that went through in one
 * second lately (or the cap already in force);
 * every quiet stretch raises the cap by one call per second. Waiting for a slot never spends an attempt.
 */
export class RateGovernor {
  private readonly calls: number[] = [];
  private readonly successes: number[] = [];
  private limit: number | undefined;
  private lastChangeAt = 0;
  /** The cap at which the last 429 came: stay below it for a while. */
  private ceiling: number | undefined;
  private lastLimitedAt = 0;

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly raiseAfterMs = 15_000,
  ) {}

  /** The current cap in calls per second, or undefined when none was learned yet. */
  get perSecond(): number | undefined {
    return this.limit;
  }

  /** Call on a 429. */
  limited(): void {
    const t = this.now();
    if (t - this.lastChangeAt < 1_000 && this.limit !== undefined) return; // one decrease per burst
    this.trim(t);
    const peak = this.peakPerSecond();
    // No call went through lately: a 429 then says nothing about capacity (Retry-After already pauses).
    if (peak === 0) return;
    const base = Math.min(peak, this.limit ?? Number.POSITIVE_INFINITY);
    this.ceiling = Math.max(1, base);
    // Just under what went through: one call less per second (5% less for large capacities).
    this.limit = Math.max(1, base - Math.max(1, Math.ceil(base * 0.05)));
    this.lastChangeAt = t;
    this.lastLimitedAt = t;
  }

  /** Call when a call went through. */
  succeeded(): void {
    const t = this.now();
    this.successes.push(t);
    if (this.limit !== undefined && t - this.lastChangeAt > this.raiseAfterMs) {
      const belowCeiling = this.ceiling === undefined || this.limit + 1 < this.ceiling;
      if (belowCeiling || t - this.lastLimitedAt > 60_000) {
        this.limit += 1;
        this.lastChangeAt = t;
      }
    }
  }

  /** Waits until one more call fits under the cap, then records it. */
  async acquire(): Promise<void> {
    for (;;) {
      const t = this.now();
      this.trim(t);
      const oldest = this.calls[0];
      if (this.limit === undefined || this.calls.length < this.limit || oldest === undefined) {
        this.calls.push(t);
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(1, oldest + 1000 - t)));
    }
  }

  /** The most calls that went through within any one second of the last ten (pauses don't count). */
  private peakPerSecond(): number {
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < this.successes.length; hi++) {
      while ((this.successes[hi] ?? 0) - (this.successes[lo] ?? 0) >= 1000) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  private trim(t: number): void {
    while (this.calls.length > 0 && (this.calls[0] ?? 0) <= t - 1000) this.calls.shift();
    while (this.successes.length > 0 && (this.successes[0] ?? 0) <= t - 10_000) this.successes.shift();
  }
}
