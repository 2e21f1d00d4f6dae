/**
 * `npm run soak`: a bounded soak on loopback. Two systems push the same dossiers at the same instant and
 * report events, while the portal simulator misbehaves at random (refused connections, 5xx, 429 storms,
 * slow answers, expired sessions) and delivery workers are killed with SIGKILL and restarted. At the end:
 * every dossier at the portal exactly once with all progress in order, no transfer stuck, one dossier per
 * dual entry, and the log chain verifies. Prints `N passed, N failed` and exits non-zero on any failure.
 *
 *   npm run --silent soak [-- --seconds 60]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startPortalSimulator } from '../../adapters/portal/simulator.js';
import { systemClock } from '../../src/lib/time.js';
import { verifyLog } from '../../src/reconciliation/log.js';
import { createTestGateway, dossierBody } from '../../tests/helpers/gateway.js';
import { rng } from './fill.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, seed: { type: 'string', default: '11' } },
});
const SECONDS = Number(values.seconds);
const random = rng(Number(values.seed));

const gw = await createTestGateway({ clock: systemClock });
const sim = await startPortalSimulator({ host: '127.0.0.1', port: 0, username: 'u', password: 'p' });
const workers: ChildProcess[] = [];
const startWorker = () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DB_PATH: gw.dbPath,
      PORTAL_URL: sim.url,
      PORTAL_USERNAME: 'u',
      PORTAL_PASSWORD: 'p',
      PORTAL_DSTCODE: 'SOAK',
      PORTAL_MADONVI: '000.00.00.H24',
      WORKER_LEASE_MS: '3000',
      WORKER_POLL_MS: '50',
      RETRY_BASE_MS: '50',
      RETRY_CAP_MS: '1000',
      RETRY_MAX_ATTEMPTS: '1000',
      CIRCUIT_COOLDOWN_MS: '300',
      LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
};
startWorker();
startWorker();

const pairs: { a: string; b: string; ids: [string, string] }[] = [];
let serial = 0;
const base = Date.parse('2026-11-28T08:30:00+07:00');
async function pushPair() {
  serial += 1;
  const idNumber = `027190${String(700000 + serial).slice(-6)}`;
  const a = dossierBody();
  Object.assign(a.applicant as object, { idNumber, fullName: `Trần Văn Soak ${serial}` });
  const b = {
    ...a,
    source: { recordId: `XD-SOAK-${serial}` },
    applicant: { ...(a.applicant as object), fullName: `TRAN VAN SOAK ${serial}` },
  };
  const [ra, rb] = await Promise.all([
    gw.request('POST', '/v1/dossiers', { body: a }),
    gw.request('POST', '/v1/dossiers', { body: b, key: gw.keys.xaydung }),
  ]);
  const [da, db] = [(await ra.json()) as { id: string }, (await rb.json()) as { id: string }];
  pairs.push({ a: (a.source as { recordId: string }).recordId, b: `XD-SOAK-${serial}`, ids: [da.id, db.id] });
  // events from either system, in order, sometimes reported by both
  const steps = ['processing', 'resolved', 'returned'];
  for (const [k, status] of steps.entries()) {
    const at = new Date(base + (k + 1) * 3_600_000).toISOString();
    const from =
      random() < 0.5
        ? { path: `/v1/records/${(a.source as { recordId: string }).recordId}/events`, key: gw.keys.motcua }
        : { path: `/v1/records/XD-SOAK-${serial}/events`, key: gw.keys.xaydung };
    await gw.request('POST', from.path, { body: { status, at }, key: from.key });
    if (random() < 0.3)
      await gw.request('POST', `/v1/records/XD-SOAK-${serial}/events`, {
        body: { status, at },
        key: gw.keys.xaydung,
      });
  }
}

const chaos: (() => Promise<void> | void)[] = [
  () => sim.control.refuseConnections(500 + Math.floor(random() * 2000)),
  () => sim.control.fail({ status: 503, count: 3 + Math.floor(random() * 10) }),
  () => sim.control.fail({ status: 429, count: 5, retryAfterSeconds: 1 }),
  () => {
    sim.control.delay(300);
    setTimeout(() => sim.control.delay(0), 1500);
  },
  () => sim.control.expireSessions(),
  () => {
    const live = workers.filter((w) => w.exitCode === null && w.signalCode === null);
    const victim = live[Math.floor(random() * live.length)];
    victim?.kill('SIGKILL');
    setTimeout(startWorker, 300);
  },
];

const t0 = Date.now();
let chaosEvents = 0;
while (Date.now() - t0 < SECONDS * 1000) {
  await pushPair();
  if (random() < 0.15) {
    const act = chaos[Math.floor(random() * chaos.length)];
    if (act) await act();
    chaosEvents += 1;
  }
  await new Promise((r) => setTimeout(r, 20));
}

// Calm: the portal behaves again, every worker alive; wait for the outbox to empty.
sim.control.reset();
await sim.control.acceptConnections().catch(() => undefined);
if (!workers.some((w) => w.exitCode === null && w.signalCode === null)) startWorker();
const open = () =>
  (
    gw.sqlite
      .prepare("SELECT count(*) AS n FROM transfers WHERE state IN ('pending', 'in_flight')")
      .get() as { n: number }
  ).n;
const calmUntil = Date.now() + 120_000;
while (open() > 0 && Date.now() < calmUntil) await new Promise((r) => setTimeout(r, 200));
for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGTERM');

const results: [string, boolean, string][] = [];
const check = (name: string, ok: boolean, detail = '') => results.push([name, ok, detail]);
check(
  'every dual entry ended as one dossier',
  pairs.every((p) => p.ids[0] === p.ids[1]),
  `${pairs.length} pairs`,
);
const stuck = gw.sqlite
  .prepare("SELECT count(*) AS n FROM transfers WHERE state IN ('pending','in_flight','dead','held')")
  .get() as { n: number };
check('no transfer stuck (pending, in flight, dead or held)', stuck.n === 0, `${stuck.n} left`);
const dossiers = gw.sqlite.prepare('SELECT id, code FROM dossiers WHERE merged_into IS NULL').all() as {
  id: string;
  code: string;
}[];
const once = dossiers.filter((d) => sim.stats.insertCount(d.code) === 1).length;
check('every dossier at the portal exactly once', once === dossiers.length, `${once}/${dossiers.length}`);
let inOrder = 0;
for (const d of dossiers) {
  const applied = (
    gw.sqlite
      .prepare('SELECT status FROM status_history WHERE dossier_id = ? AND applied = 1 ORDER BY at_ms, id')
      .all(d.id) as { status: string }[]
  )
    .map((h) => h.status)
    .slice(1);
  const codes: Record<string, string> = { processing: '4', resolved: '9', returned: '10' };
  const expected = applied.map((s) => codes[s]);
  const got = sim.stats.progressOf(d.code).map((p) => p.TrangThai);
  if (JSON.stringify(expected) === JSON.stringify(got)) inOrder += 1;
}
check(
  'every progress record at the portal, in order',
  inOrder === dossiers.length,
  `${inOrder}/${dossiers.length}`,
);
const log = await verifyLog(gw.services.store.db);
check('the reconciliation log chain verifies', log.ok, `${log.entries} entries`);

await sim.close();
await gw.close();
for (const [name, ok, detail] of results)
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name} (${detail})\n`);
const failed = results.filter(([, ok]) => !ok).length;
process.stdout.write(`soak: ${SECONDS} s, ${pairs.length} dual entries, ${chaosEvents} faults injected\n`);
process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
