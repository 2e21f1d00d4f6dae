/**
 * Operator routes for the agency report (docs/reports.md): JSON and CSV of one month or quarter. Each
 * route reads its validated query, calls its use case and answers.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { AgencyReportSchema, ReportQuerySchema } from '../../schemas/reports.js';
import type { AppEnv } from '../http/context.js';
import { problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { agencyReport } from './agency-report.js';
import { agencyReportCsv } from './agency-report-csv.js';

const tags = ['Operations'];

const jsonRoute = createRoute({
  method: 'get',
  path: '/v1/ops/reports/agencies',
  tags,
  summary: 'Per agency figures of a month or quarter (the provincial scoring inputs)',
  security: SECURITY,
  request: { query: ReportQuerySchema },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: AgencyReportSchema } } },
    ...problems(400, 401, 403, 500),
  },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/v1/ops/reports/agencies.csv',
  tags,
  summary: 'The same report as a CSV file (UTF-8 with BOM, CRLF), one line per agency',
  security: SECURITY,
  request: { query: ReportQuerySchema },
  responses: {
    200: { description: 'CSV file', content: { 'text/csv': { schema: z.string() } } },
    ...problems(400, 401, 403, 500),
  },
});

export function reportRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(jsonRoute, async (c) => {
    const { store, calendar, clock } = c.get('services');
    return c.json(await agencyReport(store.db, calendar, c.req.valid('query'), clock.now()), 200);
  });

  app.openapi(csvRoute, async (c) => {
    const { store, calendar, clock } = c.get('services');
    const csv = await agencyReportCsv(store.db, calendar, c.req.valid('query'), clock.now());
    return c.body(csv.text, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csv.name}"`,
    });
  });

  return app;
}
