/**
 * Operator routes for delivery: list transfers (dead letters by default) with filters, replay one or
 * many, and the health of each destination. Each route reads its validated input, calls its use case
 * (list-transfers.ts, replay-transfers.ts, destination-health.ts) and answers.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import {
  HealthSchema,
  ReplayResultSchema,
  ReplaySchema,
  TransferListSchema,
  TransferQuerySchema,
} from '../../schemas/ops.js';
import type { AppEnv } from '../http/context.js';
import { writeTransaction } from '../http/idempotency.js';
import { IdempotencyHeaders, problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { destinationHealth } from './destination-health.js';
import { listTransfers } from './list-transfers.js';
import { replayTransfers } from './replay-transfers.js';

const tags = ['Operations'];

const listRoute = createRoute({
  method: 'get',
  path: '/v1/ops/transfers',
  tags,
  summary: 'Transfers by state (dead letters by default), destination, agency, dossier and time',
  security: SECURITY,
  request: { query: TransferQuerySchema },
  responses: {
    200: {
      description: 'One page, oldest first',
      content: { 'application/json': { schema: TransferListSchema } },
    },
    ...problems(400, 401, 403, 500),
  },
});

const replayRoute = createRoute({
  method: 'post',
  path: '/v1/ops/transfers/replay',
  tags,
  summary: 'Replay dead transfers, by ids or by filter; per-dossier order is kept',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: ReplaySchema } } },
  },
  responses: {
    200: {
      description: 'How many were queued again',
      content: { 'application/json': { schema: ReplayResultSchema } },
    },
    ...problems(400, 401, 403, 409, 413, 415, 422, 500),
  },
});

const healthRoute = createRoute({
  method: 'get',
  path: '/v1/ops/health',
  tags,
  summary: 'Per destination: circuit, pending, oldest pending age, dead, last success, last error',
  security: SECURITY,
  responses: {
    200: { description: 'Health', content: { 'application/json': { schema: HealthSchema } } },
    ...problems(401, 403, 500),
  },
});

export function transferRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(listRoute, async (c) => {
    const { db } = c.get('services').store;
    return c.json(await listTransfers(db, c.req.valid('query')), 200);
  });

  app.openapi(replayRoute, async (c) => {
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const { clock } = c.get('services');
    const answer = await writeTransaction(c, async (trx) => ({
      status: 200 as const,
      body: await replayTransfers(trx, body, principal, clock.now()),
    }));
    return c.json(answer.body, 200);
  });

  app.openapi(healthRoute, async (c) => {
    const { store, clock } = c.get('services');
    return c.json(await destinationHealth(store.db, clock.now()), 200);
  });

  return app;
}
