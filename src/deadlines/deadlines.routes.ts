/**
 * Operator routes for deadlines (docs/deadlines.md): the near-due and overdue list as JSON pages and as
 * a CSV file. Each route reads its validated query, calls its use case and answers.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { DeadlineFilterSchema, DeadlineListSchema, DeadlineQuerySchema } from '../../schemas/deadlines.js';
import type { AppEnv } from '../http/context.js';
import { problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { vnDateKey } from '../lib/time.js';
import { exportDeadlinesCsv } from './export-deadlines-csv.js';
import { listDeadlines } from './list-deadlines.js';

const tags = ['Operations'];

const listRoute = createRoute({
  method: 'get',
  path: '/v1/ops/deadlines',
  tags,
  summary: 'Open dossiers near their due date or overdue, most overdue first (cursor pages)',
  security: SECURITY,
  request: { query: DeadlineQuerySchema },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: DeadlineListSchema } } },
    ...problems(400, 401, 403, 500),
  },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/v1/ops/deadlines.csv',
  tags,
  summary: 'The same list as a CSV file (UTF-8 with BOM, CRLF), one line per dossier',
  security: SECURITY,
  request: { query: DeadlineFilterSchema },
  responses: {
    200: { description: 'CSV file', content: { 'text/csv': { schema: z.string() } } },
    ...problems(400, 401, 403, 500),
  },
});

export function deadlineRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(listRoute, async (c) => {
    const { store, calendar, clock } = c.get('services');
    return c.json(await listDeadlines(store.db, calendar, c.req.valid('query'), clock.now()), 200);
  });

  app.openapi(csvRoute, (c) => {
    const { store, calendar, clock } = c.get('services');
    const q = c.req.valid('query');
    const now = clock.now();
    const name = `han-xu-ly-${q.state ?? 'tat-ca'}-${vnDateKey(now)}.csv`;
    return c.body(exportDeadlinesCsv(store.db, calendar, q, now), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
    });
  });

  return app;
}
