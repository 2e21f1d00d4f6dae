/**
 * Forwarding drain against the land-registry simulator's capacity (issue #14, docs/benchmarks.md).
 * 1. Capacity: the simulator alone, loaded by autocannon over 127.0.0.1 with forwarded dossiers in the
 *    land-registry profile (`POST /api/v1/ho-so`), for a few seconds: the requests/s it answers.
 * 2. Drain: the real server (`src/runtime/node/main.ts`, worker off) takes N pushes of the one-stop
 *    software for the land-registry agency, with the destination registered through the admin API, so
 *    N `dossier_sync` transfers to `land-registry` wait in the outbox. Then the worker runs as its own
 *    process (`npm run worker`) and the simulator counts what it receives. The portal and SMS transfers
 *    the pushes also queued are set aside first (cancelled in the file), so the figure is forwarding's.
 * Both bounded: a fixed count, and a time limit after which the run reports what it got.
 */
import autocannon from 'autocannon';
import { startLandRegistrySimulator } from '../../adapters/departments/land-registry.simulator.js';
import { startPortalSimulator } from '../../adapters/portal/simulator.js';
import { landRegistryProfile } from '../../mappings/departments/land-registry.js';
import { dossierToSystem } from '../../mappings/departments/map.js';
import type { ForwardedDossier } from '../../schemas/departments.js';
import { ClientService } from '../../src/clients/client.service.js';
import { systemClock } from '../../src/lib/time.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { benchPerson, rng } from './fill.js';
import { startNode } from './processes.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const LAND_AGENCY = { code: '000.00.16.H24', name: 'Văn phòng đăng ký đất đai tỉnh Bắc Ninh' };
const TOKEN = 'bench-land-registry-token-0001';

function load(opts: autocannon.Options) {
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(opts, (err, r) => (err ? reject(err) : resolve(r))),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The simulator's own capacity: forwarded dossiers with distinct receipt numbers, as fast as it answers. */
async function simulatorCapacity(seconds: number, connections: number) {
  const sim = await startLandRegistrySimulator({ token: TOKEN });
  let n = 0;
  const body = () => {
    n += 1;
    const dossier: ForwardedDossier = {
      code: `${LAND_AGENCY.code}-261102-${String(n).padStart(6, '0')}`,
      agency: LAND_AGENCY,
      procedure: { code: '1.004227', name: 'Đăng ký biến động đất đai' },
      applicant: {
        type: 'citizen',
        fullName: 'Nguyễn Văn An',
        idNumber: '027090123456',
        phone: '0912345678',
      },
      channel: 'counter',
      receivedAt: '2026-11-02T08:00:00+07:00',
      dueAt: '2026-11-16T17:00:00+07:00',
      status: 'received',
    };
    return JSON.stringify(dossierToSystem(landRegistryProfile, dossier));
  };
  try {
    const r = await load({
      url: `${sim.url}${landRegistryProfile.endpoints.submit}`,
      connections,
      duration: seconds,
      maxOverallRequests: 200_000,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          setupRequest: (req) => ({ ...req, body: body() }),
        },
      ],
    });
    return {
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      ok: r['2xx'],
      records: sim.records.size,
    };
  } finally {
    await sim.close();
  }
}

/** N pushes for the land-registry agency through the running gateway (new applicants, one at a time per connection). */
async function pushForLand(url: string, key: string, n: number) {
  const r = rng(31);
  let i = 0;
  const body = () => {
    i += 1;
    const person = benchPerson(r);
    const received = Date.parse('2026-11-02T08:00:00+07:00') + i * 1000;
    return JSON.stringify({
      source: { recordId: `MC-FWD-${process.pid}-${i}` },
      procedure: { code: '1.004227', name: 'Đăng ký biến động đất đai' },
      agency: LAND_AGENCY,
      applicant: {
        type: 'citizen',
        fullName: person.fullName,
        idNumber: `0791${80 + (i % 20)}${String(i % 1_000_000).padStart(6, '0')}`,
        phone: person.phone,
        address: { line: 'Số 12 đường Lý Thái Tổ', communeCode: '09187', provinceCode: '24' },
      },
      summary: 'Đăng ký biến động quyền sử dụng đất',
      channel: 'counter',
      receivedAt: new Date(received).toISOString(),
      dueAt: new Date(received + 14 * 86_400_000).toISOString(),
      status: 'received',
      resultReturn: { method: 'counter' },
      documents: [],
      fees: [],
    });
  };
  const res = await load({
    url: `${url}/v1/dossiers`,
    connections: 8,
    amount: n,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        setupRequest: (req) => ({ ...req, body: body() }),
      },
    ],
  });
  return res['2xx'];
}

/** The gateway with N forwards queued; answers the database path and the transfers waiting. */
async function queueForwards(n: number, landUrl: string) {
  const dbPath = tempDbPath();
  const store = openSqliteStore(dbPath, { groupCommit: false });
  await migrateToLatest(store.db);
  const clients = new ClientService(store.db, systemClock);
  const add = async (name: string, role: 'department' | 'admin', system?: string) =>
    (
      await clients.add({
        name,
        role,
        ...(system ? { system } : {}),
        agencies: role === 'admin' ? [] : [LAND_AGENCY.code],
      })
    ).key;
  const motcua = await add('bench one-stop', 'department', 'motcua');
  const admin = await add('bench admin', 'admin');
  await store.close();
  const env = {
    DB_PATH: dbPath,
    PORT: '0',
    LOG_LEVEL: 'warn',
    SANDBOX_DEMO_CLIENTS: 'false',
    WORKER_ENABLED: 'false',
  };
  const gateway = await startNode('src/runtime/node/main.ts', { ...env, SMS_ENABLED: 'false' }, ROOT);
  try {
    const registered = await fetch(`${gateway.url}/v1/admin/destinations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        system: 'land-registry',
        profile: 'land-registry',
        baseUrl: landUrl,
        credentials: TOKEN,
        agencies: [LAND_AGENCY.code],
      }),
    });
    if (registered.status !== 201) throw new Error(`destination not registered: ${await registered.text()}`);
    await pushForLand(gateway.url, motcua, n);
  } finally {
    await gateway.stop();
  }
  const check = openSqliteStore(dbPath, { groupCommit: false });
  check.sqlite.prepare("UPDATE transfers SET state = 'cancelled' WHERE destination <> 'land-registry'").run();
  const queued = (
    check.sqlite
      .prepare(
        "SELECT count(*) AS n FROM transfers WHERE destination = 'land-registry' AND state = 'pending'",
      )
      .get() as { n: number }
  ).n;
  await check.close();
  return { dbPath, queued };
}

export async function benchForwarding(o: {
  dossiers: number;
  capacitySeconds: number;
  limitSeconds: number;
}) {
  const concurrency = 4;
  const capacity = await simulatorCapacity(o.capacitySeconds, concurrency);
  const sim = await startLandRegistrySimulator({ token: TOKEN });
  const portal = await startPortalSimulator({ host: '127.0.0.1', port: 0, username: 'u', password: 'p' });
  const { dbPath, queued } = await queueForwards(o.dossiers, sim.url);
  const t0 = performance.now();
  const worker = await startNode(
    'src/runtime/node/worker.ts',
    {
      DB_PATH: dbPath,
      PORTAL_URL: portal.url,
      PORTAL_USERNAME: 'u',
      PORTAL_PASSWORD: 'p',
      PORTAL_DSTCODE: 'BENCH',
      PORTAL_MADONVI: '000.00.00.H24',
      WORKER_CONCURRENCY: String(concurrency),
      WORKER_POLL_MS: '20',
      LOG_LEVEL: 'warn',
    },
    ROOT,
    'worker started',
  ).catch(async (error) => {
    await Promise.all([sim.close(), portal.close()]);
    throw error;
  });
  const limit = t0 + o.limitSeconds * 1000;
  while (sim.records.size === 0 && performance.now() < limit) await sleep(5);
  const firstAt = performance.now();
  const first = sim.records.size;
  while (sim.records.size < queued && performance.now() < limit) await sleep(20);
  const lastAt = performance.now();
  const received = sim.records.size;
  await worker.stop();
  await Promise.all([sim.close(), portal.close()]);
  const check = openSqliteStore(dbPath, { groupCommit: false });
  const delivered = (
    check.sqlite
      .prepare(
        "SELECT count(*) AS n FROM transfers WHERE destination = 'land-registry' AND state = 'delivered'",
      )
      .get() as { n: number }
  ).n;
  await check.close();
  removeTempDb(dbPath);
  const rate = (received - first) / ((lastAt - firstAt) / 1000);
  return {
    capacity,
    queued,
    received,
    deliveredInStore: delivered,
    seconds: (lastAt - firstAt) / 1000,
    startupMs: Math.round(firstAt - t0),
    drainRate: rate,
    drainFraction: rate / capacity.rps,
    concurrency,
    complete: received === queued,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchForwarding({
    dossiers: Number(process.env.BENCH_FORWARDS ?? 2_000),
    capacitySeconds: Number(process.env.BENCH_SECONDS ?? 5),
    limitSeconds: Number(process.env.BENCH_FORWARD_LIMIT ?? 120),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
