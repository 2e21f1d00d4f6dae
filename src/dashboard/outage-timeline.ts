/**
 * Use case: each destination's outages over the last days, derived from the delivery attempts in the
 * reconciliation log (docs/dashboard.md, Outage timeline). Time is cut into buckets; a destination is
 * down from the first bucket whose attempts all failed as an outage does (rescheduled or a
 * configuration fault) until the first bucket with a delivery. A bucket without attempts keeps the
 * state before it: while the circuit is open the worker makes no attempts (docs/architecture.md).
 */
import { findLastLogEntry, findLogEntryTime } from '../reconciliation/log.store.js';
import type { Db } from '../store/store.js';
import { type AttemptBucket, countAttemptsByBucket } from './outage.store.js';

export const TIMELINE_DAYS = 7;
export const BUCKET_MS = 10 * 60_000;

export interface Outage {
  fromMs: number;
  toMs: number;
  /** Still down at the end of the window. */
  ongoing: boolean;
}

export interface DestinationTimeline {
  destination: string;
  outages: Outage[];
  downMs: number;
}

export interface OutageTimeline {
  fromMs: number;
  toMs: number;
  destinations: DestinationTimeline[];
}

/** The id of the first log entry written at or after `fromMs` (ids grow with time): a binary search. */
async function firstEntryAtOrAfter(db: Db, fromMs: number): Promise<number | undefined> {
  const last = await findLastLogEntry(db);
  if (!last) return undefined;
  let lo = 1;
  let hi = last.id + 1;
  for (let step = 0; lo < hi && step < 64; step += 1) {
    const mid = Math.floor((lo + hi) / 2);
    const at = await findLogEntryTime(db, mid);
    if (at === undefined || at < fromMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Walks one destination's buckets in order and collects its outages. */
function outagesOf(buckets: AttemptBucket[], fromMs: number, toMs: number): Outage[] {
  const outages: Outage[] = [];
  let downFrom: number | undefined;
  for (const b of buckets) {
    const start = fromMs + b.bucket * BUCKET_MS;
    if (downFrom === undefined && b.failed > 0 && b.delivered === 0) downFrom = start;
    else if (downFrom !== undefined && b.delivered > 0) {
      const end = Math.min(toMs, b.failed > 0 ? start + BUCKET_MS : start);
      outages.push({ fromMs: downFrom, toMs: Math.max(end, downFrom + BUCKET_MS), ongoing: false });
      downFrom = undefined;
    }
  }
  if (downFrom !== undefined) outages.push({ fromMs: downFrom, toMs, ongoing: true });
  return outages;
}

/** The outages of every destination in `names` (and of any other the log shows) over the last days. */
export async function outageTimeline(db: Db, now: number, names: readonly string[]): Promise<OutageTimeline> {
  const fromMs = now - TIMELINE_DAYS * 86_400_000;
  const fromId = await firstEntryAtOrAfter(db, fromMs);
  const rows =
    fromId === undefined ? [] : await countAttemptsByBucket(db, { fromId, fromMs, bucketMs: BUCKET_MS });
  const all = [...new Set([...names, ...rows.map((r) => r.destination)])];
  const destinations = all.map((destination) => {
    const outages = outagesOf(
      rows.filter((r) => r.destination === destination),
      fromMs,
      now,
    );
    return { destination, outages, downMs: outages.reduce((sum, o) => sum + (o.toMs - o.fromMs), 0) };
  });
  return { fromMs, toMs: now, destinations };
}
