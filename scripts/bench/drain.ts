/**
 * Drain after an outage, and restart after a crash. 100,000 dossier syncs are queued while the portal is
 * away; then the worker (its own process, as `npm run worker`) drains them into the portal simulator set
 * to a fixed capacity. Reports the drain rate as a fraction of that capacity (target ≥ 0.9), the worker's
 * peak memory (target ≤ 300 MB), and the time from a SIGKILL during the drain to deliveries resuming.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type PortalSimulator, startPortalSimulator } from '../../adapters/portal/simulator.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { fillDossiers } from './fill.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Queues one portal insert per stored dossier, as intake would have during the outage. */
function queueSyncs(sqlite: ReturnType<typeof openSqliteStore>['sqlite'], now: number): number {
  const rows = sqlite
    .prepare('SELECT id, code, status, received_at_ms, data FROM dossiers')
    .iterate() as Iterable<{
    id: string;
    code: string;
    status: string;
    received_at_ms: number;
    data: string;
  }>;
  const insert = sqlite.prepare(
    `INSERT INTO transfers (destination, kind, dossier_id, seq, idempotency_key, payload, state, attempts, next_attempt_at_ms, created_at_ms, updated_at_ms)
     VALUES ('portal', 'dossier_sync', ?, 1, ?, ?, 'pending', 0, ?, ?, ?)`,
  );
  const all = [...rows];
  let n = 0;
  sqlite.transaction(() => {
    for (const r of all) {
      const data = JSON.parse(r.data) as { receivedAt: string };
      const payload = {
        op: 'insert',
        version: 1,
        code: r.code,
        status: r.status,
        statusAt: data.receivedAt,
        dossier: JSON.parse(r.data),
      };
      insert.run(r.id, `portal:${r.id}:1`, JSON.stringify(payload), now, now, now);
      n += 1;
    }
  })();
  return n;
}

function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    return hwm ? Number(hwm[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Progress as the portal sees it (in memory: polling the database would steal CPU from the run). */
let portal: PortalSimulator | undefined;
const delivered = () => portal?.stats.dossierCodes().length ?? 0;

export async function benchDrain(o: { transfers: number; capacityPerSecond: number; killAt: number }) {
  const dbPath = tempDbPath();
  const store = openSqliteStore(dbPath, { groupCommit: false });
  await migrateToLatest(store.db);
  fillDossiers(store.sqlite, 0, o.transfers);
  const queued = queueSyncs(store.sqlite, Date.now());
  const sim: PortalSimulator = await startPortalSimulator({
    host: '127.0.0.1',
    port: 0,
    username: 'u',
    password: 'p',
  });
  sim.control.setCapacity(o.capacityPerSecond);
  portal = sim;
  const capacityDossiers = o.capacityPerSecond * 50;
  const env = {
    DB_PATH: dbPath,
    PORTAL_URL: sim.url,
    PORTAL_USERNAME: 'u',
    PORTAL_PASSWORD: 'p',
    PORTAL_DSTCODE: 'BENCH',
    PORTAL_MADONVI: '000.00.00.H24',
    WORKER_CONCURRENCY: '4',
    WORKER_LEASE_MS: '10000',
    WORKER_POLL_MS: '20',
    LOG_LEVEL: 'warn',
  };
  // The worker runs as its own process, as `npm run worker` does.
  const spawnWorker = async () =>
    spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });

  // Drain phase: from the start until `killAt` transfers are delivered (steady state, no crash).
  const t0 = performance.now();
  let worker = await spawnWorker();
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, peakRssMb(worker.pid) ?? 0);
  };
  // The drain rate is counted from the first delivery: process start-up and the portal login are the
  // restart figure's business, not the steady pace (both are reported).
  while (delivered() === 0) await new Promise((r) => setTimeout(r, 10));
  const firstAt = performance.now();
  const firstDelivered = delivered();
  while (delivered() < o.killAt) {
    sample();
    await new Promise((r) => setTimeout(r, 200));
  }
  const drainedBeforeKill = delivered();
  const drainSeconds = (performance.now() - firstAt) / 1000;
  const drainRate = (drainedBeforeKill - firstDelivered) / drainSeconds;
  const drainRateFromSpawn = drainedBeforeKill / ((performance.now() - t0) / 1000);
  const startupMs = Math.round(firstAt - t0);
  // Restart phase: SIGKILL mid-drain, start again, time until deliveries resume.
  sample();
  worker.kill('SIGKILL');
  await new Promise((r) => worker.once('exit', r));
  const killedAt = performance.now();
  const afterKill = delivered();
  worker = await spawnWorker();
  while (delivered() <= afterKill) await new Promise((r) => setTimeout(r, 10));
  const resumeMs = performance.now() - killedAt;
  while (delivered() < queued) {
    sample();
    await new Promise((r) => setTimeout(r, 200));
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  sample();
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  const calls = sim.stats.calls('DongBoHoSoMC');
  const inserts = sim.stats.snapshot().inserts;
  const exactlyOnce = Object.keys(inserts).length === queued && Object.values(inserts).every((n) => n === 1);
  await sim.close();
  await store.close();
  removeTempDb(dbPath);
  return {
    transfers: queued,
    capacity: { callsPerSecond: o.capacityPerSecond, dossiersPerSecond: capacityDossiers },
    drainRate,
    drainFraction: drainRate / capacityDossiers,
    fromSpawn: {
      drainRate: drainRateFromSpawn,
      drainFraction: drainRateFromSpawn / capacityDossiers,
      startupMs,
    },
    peakRssMb: Math.round(peak),
    restart: { resumeMs: Math.round(resumeMs), deliveredAtKill: afterKill, leaseMs: 10_000, totalSeconds },
    exactlyOnce,
    portalCalls: calls,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const transfers = Number(process.env.BENCH_TRANSFERS ?? 100_000);
  const result = await benchDrain({
    transfers,
    capacityPerSecond: Number(process.env.BENCH_CAPACITY ?? 20),
    killAt: Math.floor(transfers * 0.8),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
