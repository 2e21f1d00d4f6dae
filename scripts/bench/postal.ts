/**
 * The postal benchmark (docs/benchmarks.md): claim + accept throughput over HTTP with a backlog of
 * waiting jobs, and the time from a `resolved` event to a claimable return job. The backlog is written
 * straight into the database before the gateway starts (collect jobs, so the return jobs of the
 * latency probe are not queued behind them); the gateway runs as `npm start` does, without the worker
 * or the sandbox's simulators. `npm run bench` runs it; alone: `node --import tsx scripts/bench/postal.ts`.
 */
import { s10Number } from '../../adapters/postal/simulator.js';
import { ClientService } from '../../src/clients/client.service.js';
import { systemClock } from '../../src/lib/time.js';
import { insertJobOnce } from '../../src/postal/job.store.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { dossierBody, removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { startNode } from './processes.js';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface PostalBench {
  waiting: number;
  fillSeconds: number;
  claimers: number;
  processed: number;
  seconds: number;
  jobsPerSecond: number;
  /** Time from sending `resolved` to the job's claim answer, and from the event's answer to it (ms). */
  resolvedToClaimable: {
    samples: number;
    p50Ms: number;
    maxMs: number;
    afterAnswerP50Ms: number;
    /** The most claim calls a sample needed after the event's answer (1: claimable at once). */
    mostClaims: number;
  };
  duplicates: number;
}

async function fill(dbPath: string, waiting: number) {
  const store = openSqliteStore(dbPath, { groupCommit: false });
  await migrateToLatest(store.db);
  const payload = {
    sender: { name: 'Bộ phận Một cửa' },
    receiver: { name: 'Người nhận', address: { line: 'Số 1', communeCode: '09187', provinceCode: '24' } },
    contents: ['Hồ sơ'],
    codAmount: 0,
    note: null,
  };
  const now = Date.now();
  for (let start = 0; start < waiting; start += 10_000) {
    await store.transaction(async (trx) => {
      for (let i = start; i < Math.min(waiting, start + 10_000); i++) {
        const n = String(i).padStart(6, '0');
        await insertJobOnce(trx, {
          id: `bench-${n}`,
          kind: 'collect',
          dossierId: `bench-d-${n}`,
          agency: '000.00.15.H24',
          orderNumber: `000.00.15.H24-261128-${n}`,
          payload,
          createdAtMs: now - waiting + i,
          dueByMs: now + 5 * 86_400_000,
        });
      }
    });
  }
  const clients = new ClientService(store.db, systemClock);
  const agencies = ['000.00.15.H24'];
  const department = (await clients.add({ name: 'bench', role: 'department', system: 'motcua', agencies }))
    .key;
  const postal: string[] = [];
  for (let i = 0; i < 5; i++)
    postal.push((await clients.add({ name: `bench postal ${i}`, role: 'postal', agencies: [] })).key);
  await store.close();
  return { department, postal };
}

/** Claims (kind collect) and accepts until `until` or the backlog is empty; returns the accepted ids. */
async function claimLoop(url: string, key: string, firstSerial: number, until: number): Promise<string[]> {
  const done: string[] = [];
  let serial = firstSerial;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as { jobs?: { id: string; lease: { token: string } }[] },
    };
  };
  while (performance.now() < until) {
    const claimed = await post('/v1/postal/jobs/claim', { limit: 20, kinds: ['collect'], leaseSeconds: 300 });
    const jobs = claimed.body.jobs ?? [];
    if (jobs.length === 0) break;
    for (const job of jobs) {
      serial += 1;
      const res = await post(`/v1/postal/jobs/${job.id}/accept`, {
        leaseToken: job.lease.token,
        trackingNumber: s10Number(serial),
      });
      if (res.status === 200) done.push(job.id);
    }
  }
  return done;
}

function vnIso(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().replace('Z', '+07:00');
}

async function resolvedToClaimable(url: string, department: string, postal: string, samples: number) {
  const total: number[] = [];
  const afterAnswer: number[] = [];
  let mostClaims = 0;
  const call = async (key: string, path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { id?: string; outcome?: string; jobs?: unknown[] };
  };
  for (let i = 0; i < samples; i++) {
    const pushed = await call(department, '/v1/dossiers', dossierBody());
    const events = `/v1/dossiers/${pushed.id}/events`;
    // The gateway runs on the real clock: both steps lie in its past.
    await call(department, events, { status: 'processing', at: vnIso(Date.now() - 7_200_000) });
    const t0 = performance.now();
    const resolved = await call(department, events, {
      status: 'resolved',
      at: vnIso(Date.now() - 3_600_000),
    });
    const t1 = performance.now();
    if (resolved.outcome !== 'applied') throw new Error(`resolved not applied: ${JSON.stringify(resolved)}`);
    for (let tries = 0; ; tries++) {
      const claimed = await call(postal, '/v1/postal/jobs/claim', { limit: 1, kinds: ['return'] });
      if ((claimed.jobs ?? []).length > 0) {
        mostClaims = Math.max(mostClaims, tries + 1);
        break;
      }
      if (tries >= 100) throw new Error('the return job never became claimable');
    }
    const t2 = performance.now();
    total.push(t2 - t0);
    afterAnswer.push(t2 - t1);
  }
  const p50 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
  return {
    samples,
    p50Ms: p50(total),
    maxMs: Math.max(...total),
    afterAnswerP50Ms: p50(afterAnswer),
    mostClaims,
  };
}

export async function benchPostal(o: {
  waiting: number;
  seconds: number;
  claimers: number;
}): Promise<PostalBench> {
  const dbPath = tempDbPath();
  const f0 = performance.now();
  const keys = await fill(dbPath, o.waiting);
  const fillSeconds = (performance.now() - f0) / 1000;
  const gateway = await startNode(
    'src/runtime/node/main.ts',
    {
      DB_PATH: dbPath,
      PORT: '0',
      LOG_LEVEL: 'error',
      SANDBOX_DEMO_CLIENTS: 'false',
      SANDBOX_POSTAL_SIMULATOR: 'false',
      WORKER_ENABLED: 'false',
    },
    ROOT,
  );
  try {
    const claimers = keys.postal.slice(0, o.claimers);
    const start = performance.now();
    const until = start + o.seconds * 1000;
    const done = await Promise.all(
      claimers.map((key, n) => claimLoop(gateway.url, key, n * 10_000_000, until)),
    );
    const seconds = (performance.now() - start) / 1000;
    const all = done.flat();
    const latency = await resolvedToClaimable(gateway.url, keys.department, keys.postal[4] ?? '', 20);
    return {
      waiting: o.waiting,
      fillSeconds,
      claimers: claimers.length,
      processed: all.length,
      seconds,
      jobsPerSecond: all.length / seconds,
      resolvedToClaimable: latency,
      duplicates: all.length - new Set(all).size,
    };
  } finally {
    await gateway.stop();
    removeTempDb(dbPath);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const waiting = Number(process.env.BENCH_POSTAL_JOBS ?? 100_000);
  const result = await benchPostal({ waiting, seconds: 15, claimers: 4 });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
