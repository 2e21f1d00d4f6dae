/**
 * The pages whose figures come from the deadline, report and reconciliation use cases: near-due and
 * overdue per agency with the CSV, this month's agency report with its CSV, open findings. The CSV
 * routes stream the same files as the API's, under the session cookie (docs/dashboard.md).
 */
import type { Context, Hono } from 'hono';
import { DeadlineFilterSchema } from '../../schemas/deadlines.js';
import { FindingQuerySchema } from '../../schemas/reconciliation.js';
import { ReportQuerySchema } from '../../schemas/reports.js';
import { exportDeadlinesCsv } from '../deadlines/export-deadlines-csv.js';
import { vnDateKey } from '../lib/time.js';
import { listFindings } from '../reconciliation/list-findings.js';
import { agencyReport } from '../reports/agency-report.js';
import { agencyReportCsv } from '../reports/agency-report-csv.js';
import { acting, parsed, refuse, render, viewerOf } from './dashboard.guard.js';
import type { DashEnv } from './dashboard.http.js';
import { deadlinesByAgency } from './deadlines-by-agency.js';
import { DeadlinesPage } from './pages/deadlines.js';
import { FindingsPage } from './pages/findings.js';
import { ReportsPage } from './pages/reports.js';

/** A GET form sends an empty field for "any": those are dropped before the strict schema checks. */
function query(c: Context): Record<string, string> {
  return Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
}

function registerDeadlines(app: Hono<DashEnv>): void {
  app.get('/ops/deadlines', (c) =>
    acting(c, async () => {
      const q = parsed(DeadlineFilterSchema, query(c));
      if (!q.ok) return refuse(c, 400, q.text);
      const { store, calendar, clock } = c.get('services');
      const overview = await deadlinesByAgency(store.db, calendar, q.value, clock.now());
      return render(c, 200, <DeadlinesPage viewer={viewerOf(c)} filter={q.value} overview={overview} />);
    }),
  );
  app.get('/ops/deadlines.csv', (c) =>
    acting(c, async () => {
      const q = parsed(DeadlineFilterSchema, query(c));
      if (!q.ok) return refuse(c, 400, q.text);
      const { store, calendar, clock } = c.get('services');
      const now = clock.now();
      const name = `han-xu-ly-${q.value.state ?? 'tat-ca'}-${vnDateKey(now)}.csv`;
      return c.body(exportDeadlinesCsv(store.db, calendar, q.value, now), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    }),
  );
}

function registerReports(app: Hono<DashEnv>): void {
  const monthOf = (c: Context<DashEnv>) => {
    const q = query(c);
    return parsed(ReportQuerySchema, { month: vnDateKey(c.get('services').clock.now()).slice(0, 7), ...q });
  };
  app.get('/ops/reports', (c) =>
    acting(c, async () => {
      const q = monthOf(c);
      if (!q.ok) return refuse(c, 400, q.text);
      const { store, calendar, clock } = c.get('services');
      const report = await agencyReport(store.db, calendar, q.value, clock.now());
      return render(c, 200, <ReportsPage viewer={viewerOf(c)} report={report} month={q.value.month ?? ''} />);
    }),
  );
  app.get('/ops/reports.csv', (c) =>
    acting(c, async () => {
      const q = monthOf(c);
      if (!q.ok) return refuse(c, 400, q.text);
      const { store, calendar, clock } = c.get('services');
      const csv = await agencyReportCsv(store.db, calendar, q.value, clock.now());
      return c.body(csv.text, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${csv.name}"`,
      });
    }),
  );
}

export function registerFigurePages(app: Hono<DashEnv>): void {
  registerDeadlines(app);
  registerReports(app);
  app.get('/ops/findings', async (c) => {
    const q = parsed(FindingQuerySchema.pick({ kind: true }).strict(), query(c));
    if (!q.ok) return refuse(c, 400, q.text);
    const list = await listFindings(
      c.get('services').store.db,
      FindingQuerySchema.parse({ kind: q.value.kind, open: 'true', limit: 200 }),
    );
    return render(c, 200, <FindingsPage viewer={viewerOf(c)} list={list} kind={q.value.kind} />);
  });
}
