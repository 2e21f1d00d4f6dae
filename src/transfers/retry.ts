/**
 * Retry schedule: exponential backoff with full jitter (delay = random(0, min(cap, base·2^attempt))),
 * or the destination's own Retry-After when it gave one (read by the adapter, adapters/portal/answers.ts
 * `parseRetryAfter`). The next attempt time is stored on the transfer row, so the schedule survives restarts.
 */

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  maxAttempts: number;
  maxAgeMs: number;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1), full jitter. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

/** When the next attempt may run, or undefined when the transfer must be dead-lettered. */
export function nextAttemptAt(
  policy: RetryPolicy,
  t: { attempts: number; createdAtMs: number },
  now: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (t.attempts >= policy.maxAttempts) return undefined;
  // The destination's own Retry-After wins (never sooner than it asked); the age limit still applies.
  const delay = retryAfterMs !== undefined ? retryAfterMs : backoffDelay(policy, t.attempts, random);
  const at = now + delay;
  if (at - t.createdAtMs > policy.maxAgeMs) return undefined;
  return at;
}
