/**
 * The reconciliation benchmark (docs/benchmarks.md, Reconciliation run): one run over 100,000 stored
 * dossiers against the portal simulator on a loopback socket, every dossier looked up with TraCuuHoSo
 * through the portal client. The portal is filled first over DongBoHoSoMC with 99% of the dossiers,
 * and 1% of the gateway's statuses are moved on, so the run finds both kinds. Reports dossiers compared
 * per second and the findings. `npm run bench` runs it; alone: `node --import tsx scripts/bench/reconciliation.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createPortalClient } from '../../adapters/portal/client.js';
import { portalMapper } from '../../mappings/portal/index.js';
import { DEFAULT_RECONCILIATION } from '../../schemas/config.js';
import { systemClock } from '../../src/lib/time.js';
import { runReconciliation } from '../../src/reconciliation/run-reconciliation.js';
import { startRun } from '../../src/reconciliation/start-run.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { fillDossiers } from './fill.js';

export interface ReconciliationBench {
  dossiers: number;
  concurrency: number;
  fillSeconds: number;
  seconds: number;
  comparedPerSecond: number;
  compared: number;
  skipped: number;
  portal: string;
  portalReason: string | null;
  opened: Record<string, number>;
}

type Sqlite = ReturnType<typeof openSqliteStore>['sqlite'];

const ROOT = new URL('../..', import.meta.url).pathname;

/** The simulator in a process of its own (the other core), as a real portal is elsewhere; stopped by PID. */
function startSimulator(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/portal/simulator.main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORTAL_USERNAME: 'u', PORTAL_PASSWORD: 'p' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the portal simulator did not start')), 60_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"url"'));
      if (!line) return;
      clearTimeout(timer);
      resolve({ url: (JSON.parse(line) as { url: string }).url, child });
    });
    child.on('exit', (code) => reject(new Error(`the portal simulator exited with ${code}`)));
  });
}

/** Sends 99% of the dossiers to the simulator (every 100th is left out), 50 per call. */
async function fillPortal(sqlite: Sqlite, client: ReturnType<typeof createPortalClient>): Promise<void> {
  const rows = sqlite.prepare('SELECT id, code, status, data FROM dossiers ORDER BY id').all() as {
    id: string;
    code: string;
    status: string;
    data: string;
  }[];
  let batch: unknown[] = [];
  const send = async () => {
    // A loaded machine may time a call out: try again a few times before giving up.
    for (let attempt = 1; ; attempt++) {
      const r = await client.syncDossiers(batch, false);
      if (r.kind === 'ok') break;
      if (r.kind !== 'outage' || attempt === 5) {
        throw new Error(`filling the portal failed: ${r.kind}: ${'message' in r ? r.message : ''}`);
      }
    }
    batch = [];
  };
  for (const [i, r] of rows.entries()) {
    if (i % 100 === 0) continue;
    const dossier = JSON.parse(r.data) as { receivedAt: string };
    const payload = {
      op: 'insert',
      version: 1,
      code: r.code,
      status: r.status,
      statusAt: dossier.receivedAt,
      dossier,
    };
    batch.push(portalMapper.dossier(payload).object);
    if (batch.length === 50) await send();
  }
  if (batch.length > 0) await send();
  // 1% of the dossiers moved on at the gateway: the portal still says "received".
  sqlite.prepare("UPDATE dossiers SET status = 'processing' WHERE rowid % 100 = 50").run();
}

export async function benchReconciliation(o: {
  dossiers: number;
  concurrency: number;
}): Promise<ReconciliationBench> {
  const dbPath = tempDbPath();
  const store = openSqliteStore(dbPath);
  const sim = await startSimulator();
  try {
    await migrateToLatest(store.db);
    const t0 = performance.now();
    fillDossiers(store.sqlite, 0, o.dossiers);
    const client = createPortalClient({
      url: sim.url,
      username: 'u',
      password: 'p',
      dstcode: 'BENCH',
      madonvi: '000.00.00.H24',
      timeoutMs: 30_000,
    });
    await fillPortal(store.sqlite, client);
    const fillSeconds = (performance.now() - t0) / 1000;
    const ctx = {
      store,
      clock: systemClock,
      portal: client,
      config: { ...DEFAULT_RECONCILIATION, concurrency: o.concurrency },
    };
    const run = await startRun(store.db, ctx, {
      trigger: 'operator',
      requestedBy: 'bench',
      fromMs: Date.parse('2024-12-31T00:00:00+07:00'),
    });
    const t1 = performance.now();
    const done = await runReconciliation(ctx, run);
    const seconds = (performance.now() - t1) / 1000;
    return {
      dossiers: o.dossiers,
      concurrency: o.concurrency,
      fillSeconds,
      seconds,
      comparedPerSecond: done.dossiersCompared / seconds,
      compared: done.dossiersCompared,
      skipped: done.dossiersSkipped,
      portal: done.portal,
      portalReason: done.portalReason,
      opened: done.counts.opened,
    };
  } finally {
    sim.child.kill('SIGTERM');
    await store.close();
    removeTempDb(dbPath);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dossiers = Number(process.env.BENCH_RECONCILIATION_DOSSIERS ?? 100_000);
  const concurrency = Number(process.env.BENCH_RECONCILIATION_CONCURRENCY ?? 8);
  process.stdout.write(`${JSON.stringify(await benchReconciliation({ dossiers, concurrency }), null, 2)}\n`);
}
