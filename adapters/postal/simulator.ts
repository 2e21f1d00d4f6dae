/**
 * A postal client simulator for sandbox mode and tests (docs/postal.md, the sandbox's postal client):
 * it claims jobs from the gateway over HTTP, accepts each with a valid S10 tracking number, and reports
 * one tracking event per job and round, following a realistic plan: most returns are delivered (some
 * after a failed attempt), a few fail twice and go back to the sender; collect jobs are handed over.
 */
import { s10CheckDigit } from '../../schemas/identifiers.js';

export interface PostalSimulatorOptions {
  /** The gateway's base URL. */
  url: string;
  /** A postal client's API key. */
  key: string;
  /** Pause between rounds (default 2 s); 0 runs no timer (the caller runs `round()`). */
  intervalMs?: number;
  /** Jobs claimed per round (default 10). */
  claimLimit?: number;
  /** The first tracking serial (8 digits); increases by one per accepted job. */
  firstSerial?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export interface PostalSimulatorStats {
  claimed: number;
  accepted: number;
  events: Record<string, number>;
}

export interface PostalSimulator {
  /** One round: claim, accept, then the next event of every job in hand. */
  round(): Promise<void>;
  stats(): PostalSimulatorStats;
  stop(): Promise<void>;
}

const DELIVERED = ['picked_up', 'in_transit', 'out_for_delivery', 'delivered'];
const FAILED_ONCE = [
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'out_for_delivery',
  'delivered',
];
const RETURNED = ['picked_up', 'in_transit', 'delivery_failed', 'delivery_failed', 'returned_to_sender'];
const COLLECTED = ['picked_up', 'handed_over'];

/** The plan of the n-th return job: 7 in 10 delivered at once, 2 after a failure, 1 back to sender. */
export function returnPlan(n: number): string[] {
  const slot = n % 10;
  if (slot === 9) return RETURNED;
  if (slot === 3 || slot === 6) return FAILED_ONCE;
  return DELIVERED;
}

/** An S10 tracking number for an 8-digit serial, with its check digit. */
export function s10Number(serial: number): string {
  const digits = String(serial % 100_000_000).padStart(8, '0');
  return `EB${digits}${s10CheckDigit(digits)}VN`;
}

/** An instant in Vietnam time (ISO 8601, +07:00). */
function vnIso(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().replace('Z', '+07:00');
}

interface InHand {
  id: string;
  plan: string[];
  next: number;
  /** The last event's time: the next one is later, so no two events of a job look the same. */
  lastAtMs: number;
}

interface ClaimedJob {
  id: string;
  kind: string;
  lease: { token: string };
}

export function createPostalSimulator(o: PostalSimulatorOptions): PostalSimulator {
  const now = o.now ?? Date.now;
  const inHand: InHand[] = [];
  const stats: PostalSimulatorStats = { claimed: 0, accepted: 0, events: {} };
  let serial = o.firstSerial ?? Math.floor(now() / 1000) % 100_000_000;
  let returns = 0;
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${o.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${o.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const accept = async (job: ClaimedJob) => {
    for (let tries = 0; tries < 5; tries++) {
      serial += 1;
      const res = await call(`/v1/postal/jobs/${job.id}/accept`, {
        leaseToken: job.lease.token,
        trackingNumber: s10Number(serial),
      });
      if (res.status === 200) return true;
      if (res.body.reason !== 'tracking_number_taken') return false;
    }
    return false;
  };
  const claim = async () => {
    const res = await call('/v1/postal/jobs/claim', { limit: o.claimLimit ?? 10 });
    const jobs = (res.body.jobs ?? []) as ClaimedJob[];
    stats.claimed += jobs.length;
    for (const job of jobs) {
      if (!(await accept(job))) continue;
      stats.accepted += 1;
      const plan = job.kind === 'collect' ? COLLECTED : returnPlan(returns++);
      inHand.push({ id: job.id, plan, next: 0, lastAtMs: 0 });
    }
  };
  const report = async () => {
    for (const job of [...inHand]) {
      const type = job.plan[job.next] ?? '';
      job.lastAtMs = Math.max(now(), job.lastAtMs + 1000);
      const body: Record<string, unknown> = { type, at: vnIso(job.lastAtMs) };
      if (type === 'delivered') body.recipientName = 'Người nhận (mô phỏng)';
      if (type === 'delivery_failed') body.reason = 'Không có người nhận tại địa chỉ';
      const res = await call(`/v1/postal/jobs/${job.id}/events`, body);
      if (res.status === 200) stats.events[type] = (stats.events[type] ?? 0) + 1;
      job.next += 1;
      if (job.next >= job.plan.length || res.status === 404) inHand.splice(inHand.indexOf(job), 1);
    }
  };
  const round = async () => {
    await report();
    await claim();
  };
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const intervalMs = o.intervalMs ?? 2000;
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          if (stopped) return;
          running = running.then(round).catch((error: unknown) => o.onError?.(error));
        }, intervalMs)
      : undefined;
  timer?.unref();
  return {
    round,
    stats: () => structuredClone(stats),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
