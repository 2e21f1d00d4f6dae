/**
 * `/metrics` with prom-client (docs/reconciliation.md, Metrics): one `Registry` per app instance, never
 * the global one. Gauges are read from the store when scraped (collect callbacks). Counters of what
 * happened (intake outcomes, dedup outcomes, transfer attempts) are tallied from the reconciliation log's
 * entries appended since this instance started, so attempts made by a worker in another process count
 * too; like every Prometheus counter they start again at zero when the process does. Node only.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../lib/time.js';
import { countOpenByKind } from '../reconciliation/finding.store.js';
import { findLastLogEntry, selectKindsAfter } from '../reconciliation/log.store.js';
import type { Db } from '../store/store.js';
import type { MetricsPort } from './metrics.port.js';
import { circuits, postalJobsByState, queuedByDestination, reviewsByState } from './metrics.store.js';

const INTAKE_KINDS: Record<string, string> = {
  'intake.created': 'created',
  'intake.updated': 'updated',
  'dedup.merged': 'merged',
  'dedup.held_for_review': 'held_for_review',
};
const DEDUP_KINDS: Record<string, string> = {
  'dedup.merged': 'merged',
  'dedup.held_for_review': 'held_for_review',
  'dedup.review_merged': 'review_merged',
  'dedup.review_kept_apart': 'review_kept_apart',
  'dedup.split': 'split',
};
const TALLIED = [...new Set([...Object.keys(INTAKE_KINDS), ...Object.keys(DEDUP_KINDS), 'transfer.attempt'])];
/** Log ids read per statement while catching up on a scrape, and statements per scrape at most. */
const SPAN = 20_000;
const MAX_SPANS = 50;
const CIRCUIT_VALUE: Record<string, number> = { closed: 0, half_open: 1, open: 2 };

function gauges(registry: Registry, db: Db, clock: Clock): void {
  const g = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });
  g(
    'lienthong_transfer_backlog',
    'Transfers queued and not delivered, per destination and state',
    ['destination', 'state'],
    async (m) => {
      for (const r of await queuedByDestination(db))
        m.set({ destination: r.destination, state: r.state }, Number(r.n));
    },
  );
  g(
    'lienthong_transfer_oldest_pending_age_seconds',
    'Age of the oldest pending or in-flight transfer, per destination',
    ['destination'],
    async (m) => {
      const oldest = new Map<string, number>();
      for (const r of await queuedByDestination(db)) {
        if ((r.state !== 'pending' && r.state !== 'in_flight') || r.oldest === null) continue;
        oldest.set(r.destination, Math.min(oldest.get(r.destination) ?? Number.POSITIVE_INFINITY, r.oldest));
      }
      const now = clock.now();
      for (const [d, at] of oldest) m.set({ destination: d }, Math.max(0, (now - at) / 1000));
    },
  );
  g(
    'lienthong_circuit_state',
    'Circuit per destination: 0 closed, 1 half open, 2 open',
    ['destination'],
    async (m) => {
      for (const r of await circuits(db)) m.set({ destination: r.name }, CIRCUIT_VALUE[r.circuit] ?? 2);
    },
  );
  g('lienthong_postal_jobs', 'Postal jobs per state', ['state'], async (m) => {
    for (const r of await postalJobsByState(db)) m.set({ state: r.state }, Number(r.n));
  });
  g('lienthong_findings_open', 'Open findings per kind', ['kind'], async (m) => {
    for (const r of await countOpenByKind(db)) m.set({ kind: r.kind }, r.n);
  });
  g('lienthong_dedup_reviews', 'Dedup reviews per state', ['state'], async (m) => {
    for (const r of await reviewsByState(db)) m.set({ state: r.state }, Number(r.n));
  });
}

function attemptLabels(data: string): { destination: string; outcome: string } {
  try {
    const d = JSON.parse(data) as { destination?: unknown; outcome?: unknown };
    return { destination: String(d.destination ?? 'unknown'), outcome: String(d.outcome ?? 'unknown') };
  } catch {
    return { destination: 'unknown', outcome: 'unknown' };
  }
}

/** Creates the app's registry; `refused` pushes are counted from the requests themselves. */
export async function createPrometheusMetrics(db: Db, clock: Clock): Promise<MetricsPort> {
  const registry = new Registry();
  const intake = new Counter({
    name: 'lienthong_intake_total',
    help: 'Pushes by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const dedup = new Counter({
    name: 'lienthong_dedup_outcomes_total',
    help: 'Dedup decisions by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'lienthong_transfer_attempts_total',
    help: 'Delivery attempts by destination and outcome',
    labelNames: ['destination', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'lienthong_http_request_duration_seconds',
    help: 'Request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  gauges(registry, db, clock);
  let cursor = (await findLastLogEntry(db))?.id ?? 0;
  let catching: Promise<void> = Promise.resolve();
  const catchUp = async () => {
    for (let i = 0; i < MAX_SPANS; i++) {
      const head = (await findLastLogEntry(db))?.id ?? 0;
      if (head <= cursor) return;
      for (const e of await selectKindsAfter(db, cursor, TALLIED, SPAN)) {
        const i1 = INTAKE_KINDS[e.kind];
        if (i1) intake.inc({ outcome: i1 });
        const d1 = DEDUP_KINDS[e.kind];
        if (d1) dedup.inc({ outcome: d1 });
        if (e.kind === 'transfer.attempt') attempts.inc(attemptLabels(e.data));
      }
      cursor = Math.min(head, cursor + SPAN);
    }
  };
  return {
    observeRequest(method, route, status, seconds) {
      latency.observe({ method, route, status: String(status) }, seconds);
      if (method === 'POST' && route === '/v1/dossiers' && status >= 400 && status < 500)
        intake.inc({ outcome: 'refused' });
    },
    async render() {
      catching = catching.then(catchUp, catchUp);
      await catching;
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
