/**
 * Learns a destination's capacity from its 429 answers, so a drain runs at the limit instead of bouncing
 * off it. Before the first 429 there is no cap. The first 429 caps the call rate at the most calls that
 * went through in one second lately (the destination's measured capacity). A 429 while capped lowers the
 * cap by one call per second (5% for large caps). Quiet stretches raise it again, but not back to a rate
 * that was refused until two minutes have passed without a 429. Waiting for a slot never spends an attempt.
 */
const PROBE_AFTER_MS = 120_000;

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
    if (this.limit === undefined) {
      // First 429: in its busiest second the destination took `peak` calls and refused the rest, so
      // `peak` is its capacity and one more is known to fail.
      this.limit = peak;
      this.ceiling = peak + 1;
    } else {
      // Refused while paced: the cap itself is too high. Go one under it (5% under for large caps).
      const base = Math.min(peak, this.limit);
      this.ceiling = this.limit;
      this.limit = Math.max(1, base - Math.max(1, Math.ceil(base * 0.05)));
    }
    this.lastChangeAt = t;
    this.lastLimitedAt = t;
  }

  /** Call when a call went through. */
  succeeded(): void {
    const t = this.now();
    this.successes.push(t);
    if (this.limit !== undefined && t - this.lastChangeAt > this.raiseAfterMs) {
      const belowCeiling = this.ceiling === undefined || this.limit + 1 < this.ceiling;
      if (belowCeiling || t - this.lastLimitedAt > PROBE_AFTER_MS) {
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
