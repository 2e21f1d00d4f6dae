/**
 * Dedup scale benchmark: the time per intake (matching + write, synchronous=FULL, one transaction per
 * intake as in production) with 10,000 and with 1,000,000 stored dossiers, measured in one run, and
 * their ratio (target ≤ 1.5: candidate lookup uses indexed blocking keys, so it must not grow with the store).
 *
 *   npm run --silent bench:dedup [-- --large 1000000 --samples 2000 --out bench-results]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../schemas/config.js';
import { DossierInputSchema } from '../../schemas/dossier.js';
import type { Principal } from '../../src/clients/client.service.js';
import type { IntakeDeps } from '../../src/intake/intake.context.js';
import { writeContext } from '../../src/intake/intake.context.js';
import { push } from '../../src/intake/push.js';
import { systemClock } from '../../src/lib/time.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { sqlOutbox } from '../../src/transfers/outbox.js';
import { removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { BENCH_AGENCIES, BENCH_PROCEDURES, benchCccd, fillDossiers, rng } from './fill.js';

const { values } = parseArgs({
  options: {
    small: { type: 'string', default: '10000' },
    large: { type: 'string', default: process.env.BENCH_STORED ?? '1000000' },
    samples: { type: 'string', default: '2000' },
    out: { type: 'string', default: 'bench-results' },
  },
});
const SMALL = Number(values.small);
const LARGE = Number(values.large);
const SAMPLES = Number(values.samples);

const principal: Principal = {
  id: 'bench',
  name: 'bench',
  role: 'department',
  system: 'motcua',
  agencies: BENCH_AGENCIES,
};

/** Realistic intake bodies: ~20% re-key a stored applicant (dual-entry lookups that find candidates). */
function bodies(count: number, seed: number, storedCount: number) {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const dual = r() < 0.2;
    const id = dual
      ? benchCccd(Math.floor(r() * storedCount) + 1_000_000)
      : benchCccd(9_000_000 + seed * 10_000 + i);
    return DossierInputSchema.parse({
      source: { recordId: `BENCH-${seed}-${i}` },
      procedure: { code: BENCH_PROCEDURES[i % BENCH_PROCEDURES.length], name: 'Thủ tục' },
      agency: { code: BENCH_AGENCIES[i % BENCH_AGENCIES.length], name: 'Sở' },
      applicant: { type: 'citizen', fullName: 'Nguyễn Văn An', idNumber: id, phone: '0912 345 678' },
      channel: 'counter',
      receivedAt: new Date(Date.parse('2025-06-01T08:00:00+07:00') + i * 60_000).toISOString(),
      dueAt: new Date(Date.parse('2025-06-15T17:00:00+07:00') + i * 60_000).toISOString(),
      status: 'received',
    });
  });
}

async function measure(
  intake: IntakeDeps,
  store: ReturnType<typeof openSqliteStore>,
  stored: number,
  seed: number,
) {
  const inputs = bodies(SAMPLES, seed, stored);
  const times: number[] = [];
  for (const input of inputs) {
    const t0 = performance.now();
    await store.transaction((trx) => push(writeContext(trx, intake), principal, input));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return {
    stored,
    samples: SAMPLES,
    meanMs: mean,
    p50Ms: times[Math.floor(times.length / 2)] ?? 0,
    p99Ms: times[Math.floor(times.length * 0.99)] ?? 0,
  };
}

/** Runs the benchmark; the database (LARGE dossiers and the measured intakes) stays at `dbPath` for reuse. */
export async function benchDedup() {
  const config = parseConfig({});
  const dbPath = tempDbPath();
  const store = openSqliteStore(dbPath);
  await migrateToLatest(store.db);
  const intake = { outbox: sqlOutbox, dedup: config.dedup, clock: systemClock } satisfies IntakeDeps;
  const t0 = performance.now();
  fillDossiers(store.sqlite, 0, SMALL);
  const fillSmallS = (performance.now() - t0) / 1000;
  const small = await measure(intake, store, SMALL, 1);
  const t1 = performance.now();
  fillDossiers(store.sqlite, SMALL, LARGE);
  store.sqlite.pragma('optimize');
  const fillLargeS = (performance.now() - t1) / 1000;
  const large = await measure(intake, store, LARGE, 2);
  await store.close();
  return {
    dbPath,
    small,
    large,
    ratio: large.meanMs / small.meanMs,
    ratioP50: large.p50Ms / small.p50Ms,
    fillSeconds: { small: fillSmallS, large: fillLargeS },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchDedup();
  removeTempDb(result.dbPath);
  mkdirSync(values.out ?? 'bench-results', { recursive: true });
  writeFileSync(join(values.out ?? 'bench-results', 'dedup.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `dedup: ${result.small.meanMs.toFixed(3)} ms/intake at ${SMALL}, ${result.large.meanMs.toFixed(3)} ms/intake at ${LARGE}, ratio ${result.ratio.toFixed(2)} (target ≤ 1.5)\n`,
  );
}
