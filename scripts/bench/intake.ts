/**
 * Intake under HTTP load: the real gateway process on an SQLite file (synchronous=FULL, dedup on,
 * group commit) with 1,000,000 dossiers already stored, realistic payloads with ~20% dual entries
 * pushed by a second system, against a bare Hono JSON echo measured in the same run.
 * Reports requests/s, p50/p99, the ratio to the echo, p99 at half the gateway's maximum rate, and
 * checks that every 2xx answer is in the store (nothing lost).
 */
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { parseConfig } from '../../schemas/config.js';
import { ClientService } from '../../src/clients/client.service.js';
import { systemClock } from '../../src/lib/time.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { BENCH_AGENCIES, benchPerson, fillDossiers, rng } from './fill.js';
import { cpuUsOf, startNode } from './processes.js';
import { steadyLoad } from './steady.js';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  non2xx: number;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const summary = (r: autocannon.Result): Load => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  ok: r['2xx'],
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx,
});

/**
 * Realistic pushes: varied applicants; every 5th request re-keys the previous dossier from the
 * department's system (name in capitals, phone in international form, its own record id).
 */
export function bodyFactory(keys: { motcua: string; xaydung: string }, seed = 11) {
  const r = rng(seed);
  let n = 0;
  let last: Record<string, unknown> | undefined;
  return (req: autocannon.Request) => {
    n += 1;
    if (n % 5 === 0 && last) {
      const a = last;
      const b = {
        ...a,
        source: { recordId: `XD-${n}` },
        applicant: {
          ...(a.applicant as object),
          fullName: String((a.applicant as { fullName: string }).fullName).toUpperCase(),
          phone: `+84${String((a.applicant as { phone: string }).phone).slice(1)}`,
        },
      };
      return {
        ...req,
        body: JSON.stringify(b),
        headers: { ...req.headers, authorization: `Bearer ${keys.xaydung}` },
      };
    }
    const serial = String(n).padStart(6, '0');
    const person = benchPerson(r);
    last = {
      source: { recordId: `MC-${process.pid}-${n}` },
      procedure: { code: '1.004227', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ' },
      agency: { code: BENCH_AGENCIES[n % BENCH_AGENCIES.length], name: 'Sở Xây dựng tỉnh Bắc Ninh' },
      applicant: {
        type: 'citizen',
        fullName: person.fullName,
        // Province 079, never the 027 of the stored dossiers: new applicants, dual entries aside.
        idNumber: `079${n % 2}${80 + (n % 20)}${String(n % 1_000_000).padStart(6, '0')}`,
        phone: person.phone,
        address: { line: 'Số 12 đường Lý Thái Tổ', communeCode: '09187', provinceCode: '24' },
      },
      summary: 'Xin cấp phép xây dựng nhà ở 3 tầng',
      channel: 'counter',
      receivedAt: new Date(Date.parse('2026-11-02T08:00:00+07:00') + n * 1000).toISOString(),
      dueAt: new Date(Date.parse('2026-11-16T17:00:00+07:00') + n * 1000).toISOString(),
      status: 'received',
      resultReturn: { method: 'postal' },
      documents: [
        { name: 'Đơn đề nghị', componentCode: 'TP1', sha256: `${serial}`.padEnd(64, 'a'), digitized: true },
      ],
      fees: [{ code: 'LPXD', name: 'Lệ phí', amount: 75000 }],
    };
    return {
      ...req,
      body: JSON.stringify(last),
      headers: { ...req.headers, authorization: `Bearer ${keys.motcua}` },
    };
  };
}

/**
 * `filled`: a database that already holds at least `stored` bench dossiers (the dedup benchmark's), so
 * one run fills a million only once.
 */
export async function benchIntake(o: {
  stored: number;
  seconds: number;
  connections: number;
  filled?: string;
}) {
  const dbPath = o.filled ?? tempDbPath();
  const store = openSqliteStore(dbPath, { groupCommit: false });
  await migrateToLatest(store.db);
  const t0 = performance.now();
  if (!o.filled) fillDossiers(store.sqlite, 0, o.stored);
  const fillSeconds = (performance.now() - t0) / 1000;
  const countOf = (db: typeof store.sqlite, table: 'dossiers' | 'dossier_sources') =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const storedBefore = countOf(store.sqlite, 'dossiers');
  const sourcesBefore = countOf(store.sqlite, 'dossier_sources');
  const clients = new ClientService(store.db, systemClock);
  const keys = {
    motcua: (
      await clients.add({
        name: 'bench one-stop',
        role: 'department',
        system: 'motcua',
        agencies: BENCH_AGENCIES,
      })
    ).key,
    xaydung: (
      await clients.add({
        name: 'bench dept',
        role: 'department',
        system: 'xaydung',
        agencies: BENCH_AGENCIES,
      })
    ).key,
  };
  await store.close();
  parseConfig({ DB_PATH: dbPath });

  const echo = await startNode('scripts/bench/echo-server.ts', {}, ROOT);
  const sample = bodyFactory(keys)({} as autocannon.Request).body;
  const echoResult = summary(
    await run({
      url: `${echo.url}/echo`,
      method: 'POST',
      connections: o.connections,
      duration: o.seconds,
      headers: { 'content-type': 'application/json' },
      body: sample,
    }),
  );
  await echo.stop();

  const gateway = await startNode(
    'src/runtime/node/main.ts',
    { DB_PATH: dbPath, PORT: '0', LOG_LEVEL: 'info', SANDBOX_DEMO_CLIENTS: 'false', WORKER_ENABLED: 'false' },
    ROOT,
  );
  const makeBody = bodyFactory(keys);
  const push = (extra: Partial<autocannon.Options>) =>
    run({
      url: `${gateway.url}/v1/dossiers`,
      connections: o.connections,
      duration: o.seconds,
      requests: [
        {
          method: 'POST',
          path: '/v1/dossiers',
          headers: { 'content-type': 'application/json' },
          setupRequest: makeBody,
        },
      ],
      ...extra,
    });
  const cpuBefore = cpuUsOf(gateway.child.pid);
  const max = summary(await push({}));
  const cpuAfter = cpuUsOf(gateway.child.pid);
  // The gateway's CPU time per answered push while saturated: steadier than requests/s when other jobs
  // share the machine (they take turns on the cores, not work away from each push).
  const cpuUsPerPush =
    cpuBefore === undefined || cpuAfter === undefined
      ? undefined
      : Math.round((cpuAfter - cpuBefore) / Math.max(1, max.ok + max.non2xx));
  const halfRate = Math.max(1, Math.floor(max.rps / 2));
  // Let the requests cut off at the end of the saturating run finish, so the half-rate run measures its
  // own steady state rather than the previous run's backlog.
  await new Promise((r) => setTimeout(r, 2_000));
  const half = await steadyLoad({
    url: gateway.url,
    rate: halfRate,
    seconds: o.seconds,
    connections: o.connections,
    next: () => {
      const r = makeBody({ headers: {} } as unknown as autocannon.Request);
      return {
        path: '/v1/dossiers',
        headers: { 'content-type': 'application/json', ...(r.headers as unknown as Record<string, string>) },
        body: String(r.body),
      };
    },
  });
  await gateway.stop();

  const check = openSqliteStore(dbPath, { groupCommit: false });
  const stored = countOf(check.sqlite, 'dossiers');
  const sources = countOf(check.sqlite, 'dossier_sources');
  await check.close();
  if (!o.filled) removeTempDb(dbPath);
  const accepted = max.ok + half.ok;
  // Every 2xx answer must be a stored record; requests cut off when the load generator stopped may be
  // stored without their answer being counted, so the store may hold a few more, never fewer.
  return {
    stored: storedBefore,
    fillSeconds,
    connections: o.connections,
    seconds: o.seconds,
    echo: echoResult,
    intake: { ...max, cpuUsPerPush },
    ratioToEcho: max.rps / echoResult.rps,
    atHalfRate: { targetRps: halfRate, ...half },
    nothingLost: sources - sourcesBefore >= accepted,
    accepted,
    newSources: sources - sourcesBefore,
    dossiersAfter: stored,
  };
}

/**
 * A fresh copy of an already filled database (`BENCH_FILLED`, e.g. one `npm run bench` left or a copy
 * of the dedup benchmark's), so repeated runs start from the same million without filling it again.
 */
async function copyOfFilled(file: string): Promise<string> {
  const copy = tempDbPath();
  const source = new SQLite(file, { readonly: true });
  await source.backup(copy);
  source.close();
  return copy;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stored = Number(process.env.BENCH_STORED ?? 1_000_000);
  const filled = process.env.BENCH_FILLED ? await copyOfFilled(process.env.BENCH_FILLED) : undefined;
  const result = await benchIntake({
    stored,
    seconds: Number(process.env.BENCH_SECONDS ?? 15),
    connections: 32,
    ...(filled ? { filled } : {}),
  });
  if (filled) removeTempDb(filled);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
