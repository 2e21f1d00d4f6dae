/**
 * The deadline and report benchmark (docs/benchmarks.md, Deadlines and reports): time per request of
 * the near-due / overdue list (JSON pages and the CSV file) and of the monthly and quarterly agency
 * report over a store of 1,000,000 dossiers. The rows are seeded in batches through the gateway's one
 * row builder (`toDossierRow`, with the real calendar and procedure catalogue), so `due_at_ms` and
 * `closed_at_ms` are what intake would write; the requests go through the app in-process (no sockets),
 * as an operator. `npm run bench` runs it; alone: `node --import tsx scripts/bench/deadlines.ts [count]`.
 */
import { existsSync } from 'node:fs';
import type SQLite from 'better-sqlite3';
import type { DossierData, DossierStatus } from '../../schemas/dossier.js';
import { type DueRule, dueRule } from '../../src/deadlines/due-rule.js';
import { type DossierRecord, toDossierRow } from '../../src/intake/dossier.row.js';
import { toVnIso } from '../../src/lib/time.js';
import { loadCalendar } from '../../src/runtime/node/calendar.js';
import { loadProcedureCatalogue } from '../../src/runtime/node/procedures.js';
import { createTestGateway, removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { BENCH_AGENCIES, BENCH_PROCEDURES, rng } from './fill.js';

/** "Now" for the benchmark: the data runs up to this instant. */
const NOW = Date.parse('2026-11-30T10:00:00+07:00');
const DAY_MS = 86_400_000;
const BATCH = 20_000;
const COLUMNS =
  'id, code, agency_code, procedure_code, status, status_at_ms, applicant_id_number, received_at_ms, data, version, created_at_ms, updated_at_ms, applicant_name_key, applicant_phone, received_day, held, merged_into, due_at_ms, closed_at_ms, channel, digitised';

export interface Timing {
  name: string;
  path: string;
  requests: number;
  meanMs: number;
  p50Ms: number;
  maxMs: number;
  /** Items in the JSON page, lines in the CSV, agencies in the report. */
  size: number;
}

export interface DeadlinesBench {
  stored: number;
  fillSeconds: number;
  open: number;
  timings: Timing[];
  /** SQLite's plan of the list query: the index that keeps it interactive. */
  listPlan: string;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** One dossier: received over two years up to NOW; older ones mostly closed, recent ones open. */
function record(i: number, r: () => number, rule: DueRule): DossierRecord {
  const received = NOW - Math.floor(r() * 700 * DAY_MS);
  const agency = pick(r, BENCH_AGENCIES);
  const procedure = pick(r, BENCH_PROCEDURES);
  const pushedDue = r() < 0.5 ? received + 14 * DAY_MS : undefined;
  const due = pushedDue ?? rule.computedDueMs(procedure, received) ?? received + 14 * DAY_MS;
  const age = NOW - received;
  // 2 % of the old ones are still open (overdue); the last three weeks are mostly open.
  const closed = age > 21 * DAY_MS ? r() > 0.02 : r() < age / (21 * DAY_MS) - 0.3;
  const closedAt = Math.min(NOW - 1, received + Math.floor((due - received) * (0.3 + r())));
  const roll = r();
  const status: DossierStatus = !closed
    ? 'processing'
    : roll < 0.85
      ? 'returned'
      : roll < 0.95
        ? 'resolved'
        : roll < 0.98
          ? 'rejected'
          : 'withdrawn';
  const resolved = status === 'resolved' || status === 'returned';
  const data: DossierData = {
    procedure: { code: procedure, name: 'Thủ tục' },
    agency: { code: agency, name: 'Sở' },
    applicant: { type: 'citizen', fullName: `Người Nộp ${i}` },
    channel: r() < 0.6 ? 'online' : 'counter',
    receivedAt: toVnIso(received),
    ...(pushedDue !== undefined ? { dueAt: toVnIso(pushedDue) } : {}),
    ...(resolved ? { resolvedAt: toVnIso(closedAt) } : {}),
    ...(status === 'rejected' ? { rejectedAt: toVnIso(closedAt) } : {}),
    resultReturn: { method: 'counter' },
    documents: [{ name: 'Đơn', digitized: r() < 0.7 }],
    fees: [],
  };
  return {
    id: `bench-${i}`,
    code: `${agency}-BENCH-${i}`,
    status,
    statusAtMs: closed ? closedAt : received,
    version: 1,
    createdAtMs: received,
    updatedAtMs: closed ? closedAt : received,
    held: false,
    mergedInto: null,
    data,
  };
}

/** Seeds `count` dossiers, one history row each and a supplement request for one in ten. */
export function seed(sqlite: SQLite.Database, count: number, rule: DueRule): void {
  const names = COLUMNS.split(', ');
  const insert = sqlite.prepare(
    `INSERT INTO dossiers (${COLUMNS}) VALUES (${names.map((c) => `@${c}`).join(', ')})`,
  );
  const step = sqlite.prepare(
    `INSERT INTO status_history (dossier_id, status, at_ms, at, applied, recorded_at_ms) VALUES (?, ?, ?, ?, 1, ?)`,
  );
  const r = rng(15);
  for (let lo = 0; lo < count; lo += BATCH) {
    sqlite.transaction(() => {
      for (let i = lo; i < Math.min(count, lo + BATCH); i++) {
        const d = record(i, r, rule);
        insert.run(toDossierRow(d, rule));
        const received = Date.parse(d.data.receivedAt);
        step.run(d.id, 'received', received, d.data.receivedAt, received);
        if (i % 10 === 0)
          step.run(d.id, 'supplement_requested', received + DAY_MS, toVnIso(received + DAY_MS), received);
      }
    })();
  }
}

function stats(name: string, path: string, ms: number[], size: number): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    name,
    path,
    requests: ms.length,
    meanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length),
    p50Ms: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    maxMs: round(sorted.at(-1) ?? 0),
    size,
  };
}

/**
 * `keep`: a database file to seed once and keep (when it exists, its rows are used as they are), so the
 * requests can be timed again without seeding a million rows again.
 */
export async function benchDeadlines(options: {
  stored: number;
  requests?: number;
  keep?: string | undefined;
}): Promise<DeadlinesBench> {
  const dbPath = options.keep ?? tempDbPath();
  const seeded = options.keep !== undefined && existsSync(options.keep);
  const calendar = loadCalendar('config/calendar').calendar;
  const rule = dueRule(loadProcedureCatalogue('config/procedures.json'), calendar);
  const t0 = performance.now();
  // The gateway migrates the empty file, then the rows go in straight through SQLite.
  const gw = await createTestGateway({ dbPath, clock: { now: () => NOW } });
  if (!seeded) {
    seed(gw.sqlite, options.stored, rule);
    gw.sqlite.exec('ANALYZE');
  }
  const fillSeconds = (performance.now() - t0) / 1000;
  const open = gw.sqlite
    .prepare('SELECT count(*) FROM dossiers WHERE closed_at_ms IS NULL')
    .pluck()
    .get() as number;
  const closedCount = gw.sqlite
    .prepare('SELECT count(*) FROM dossiers WHERE closed_at_ms IS NOT NULL')
    .pluck()
    .get() as number;
  const listPlan = (
    gw.sqlite
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM dossiers WHERE merged_into IS NULL AND closed_at_ms IS NULL
         AND due_at_ms IS NOT NULL AND due_at_ms < ? AND agency_code = ? ORDER BY due_at_ms, id LIMIT 101`,
      )
      .all(NOW, BENCH_AGENCIES[0]) as { detail: string }[]
  )
    .map((row) => row.detail)
    .join('; ');
  const requests = options.requests ?? 20;
  const agency = BENCH_AGENCIES[0];
  const firstOverdue = await gw.request('GET', '/v1/ops/deadlines?state=overdue&limit=100', {
    key: gw.keys.operator,
  });
  const cursor = ((await firstOverdue.json()) as { nextCursor: string }).nextCursor;
  const cases: [string, string][] = [
    ['near-due list, first page of 100', '/v1/ops/deadlines?state=near_due&limit=100'],
    ['overdue list, first page of 100', '/v1/ops/deadlines?state=overdue&limit=100'],
    ['overdue list of one agency, first page', `/v1/ops/deadlines?state=overdue&agency=${agency}&limit=100`],
    ['overdue list, second page (cursor)', `/v1/ops/deadlines?state=overdue&limit=100&cursor=${cursor}`],
    ['near-due CSV, whole file', '/v1/ops/deadlines.csv?state=near_due&withinWorkingDays=5'],
    ['monthly report (past month)', '/v1/ops/reports/agencies?month=2026-10'],
    ['monthly report (current month)', '/v1/ops/reports/agencies?month=2026-11'],
    ['quarterly report', '/v1/ops/reports/agencies?quarter=2026-Q3'],
  ];
  const timings: Timing[] = [];
  for (const [name, path] of cases) {
    const ms: number[] = [];
    let size = 0;
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const res = await gw.request('GET', path, { key: gw.keys.operator });
      const text = await res.text();
      ms.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
      if (path.includes('.csv')) size = text.split('\r\n').length - 2;
      else if (path.includes('reports')) size = (JSON.parse(text) as { agencies: unknown[] }).agencies.length;
      else size = (JSON.parse(text) as { items: unknown[] }).items.length;
    }
    timings.push(stats(name, path, ms, size));
  }
  await gw.close();
  if (options.keep === undefined) removeTempDb(dbPath);
  const stored = seeded ? open + closedCount : options.stored;
  return { stored, fillSeconds, open, timings, listPlan };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stored = Number(process.argv[2] ?? process.env.BENCH_STORED ?? 1_000_000);
  const keep = process.env.BENCH_DEADLINES_DB;
  process.stdout.write(`${JSON.stringify(await benchDeadlines({ stored, keep }), null, 2)}\n`);
}
