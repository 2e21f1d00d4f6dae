/**
 * A worker process killed with SIGKILL in the middle of a drain, then started again: nothing is lost,
 * nothing goes out of order, and whatever is sent again is exactly what was sent before (the portal
 * ignores an identical progress record and answers "đã tồn tại" to an identical insert).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortalSimulator, startPortalSimulator } from '../../adapters/portal/simulator.js';
import { portalMapper } from '../../mappings/portal/index.js';
import { verifyLog } from '../../src/reconciliation/log.js';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let gw: TestGateway;
let sim: PortalSimulator;
const children: ChildProcess[] = [];

beforeAll(async () => {
  gw = await createTestGateway();
  sim = await startPortalSimulator({ host: '127.0.0.1', port: 0, username: 'u', password: 'p' });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await sim.close();
  await gw.close();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DB_PATH: gw.dbPath,
      PORTAL_URL: sim.url,
      PORTAL_USERNAME: 'u',
      PORTAL_PASSWORD: 'p',
      PORTAL_DSTCODE: 'TEST',
      PORTAL_MADONVI: '000.00.00.H24',
      WORKER_LEASE_MS: '1500',
      WORKER_CONCURRENCY: '2',
      WORKER_POLL_MS: '20',
      RETRY_BASE_MS: '20',
      RETRY_CAP_MS: '200',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

const count = (sql: string) => (gw.sqlite.prepare(sql).get() as { n: number }).n;

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a worker killed mid-drain', () => {
  it('loses nothing, reorders nothing, and resends only what it sent before', async () => {
    const dossiers: { id: string; code: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
      dossiers.push({ id: d.id, code: d.code });
    }
    for (const [hour, status] of ['processing', 'resolved', 'returned'].entries()) {
      for (const d of dossiers) {
        await gw.request('POST', `/v1/dossiers/${d.id}/events`, {
          body: { status, at: `2026-11-29T1${hour}:00:00+07:00` },
        });
      }
    }
    // The test gateway's clock runs ahead; make everything due for the workers' real clock.
    gw.sqlite.prepare('UPDATE transfers SET next_attempt_at_ms = 0, created_at_ms = ?').run(Date.now());
    const total = count('SELECT count(*) AS n FROM transfers');
    expect(total).toBe(30 * 7);
    sim.control.delay(25); // slow enough to kill it half-way

    const first = startWorker();
    await until(
      () => count("SELECT count(*) AS n FROM transfers WHERE state = 'delivered'") >= total / 4,
      30_000,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const inFlight = count("SELECT count(*) AS n FROM transfers WHERE state = 'in_flight'");
    const delivered = count("SELECT count(*) AS n FROM transfers WHERE state = 'delivered'");
    expect(delivered).toBeLessThan(total);

    startWorker();
    startWorker(); // two at once, safely
    await until(
      () => count("SELECT count(*) AS n FROM transfers WHERE state = 'delivered'") === total,
      60_000,
    );

    for (const d of dossiers) {
      expect(sim.stats.insertCount(d.code), d.code).toBe(1);
      expect(
        sim.stats.progressOf(d.code).map((p) => p.TrangThai),
        d.code,
      ).toEqual(['4', '9', '10']);
      // the portal holds exactly the mapping of the last sync queued for the dossier
      const last = gw.sqlite
        .prepare(
          "SELECT payload FROM transfers WHERE dossier_id = ? AND kind = 'dossier_sync' ORDER BY seq DESC LIMIT 1",
        )
        .get(d.id) as { payload: string };
      expect(sim.stats.dossier(d.code)).toEqual(portalMapper.dossier(JSON.parse(last.payload)).object);
    }
    expect(inFlight + delivered).toBeGreaterThan(0);
    expect(await verifyLog(gw.services.store.db)).toMatchObject({ ok: true });
  });
});
