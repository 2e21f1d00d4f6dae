/**
 * The postal service's pull API (`/v1/postal/*`, the postal role only) and the operators' job list
 * (docs/postal.md). Each handler reads its validated input, opens a unit of work, calls its use case
 * and answers.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { IdParamsSchema } from '../../schemas/identifiers.js';
import {
  AcceptSchema,
  ClaimResultSchema,
  ClaimSchema,
  JobSchema,
  OpsJobListSchema,
  OpsJobQuerySchema,
  PostalEventInputSchema,
  PostalEventResultSchema,
  ReleaseSchema,
} from '../../schemas/postal.js';
import type { AppEnv } from '../http/context.js';
import { writeTransaction } from '../http/idempotency.js';
import { IdempotencyHeaders, problems, SECURITY, WRITE_PROBLEMS } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { writeContext } from '../intake/intake.context.js';
import { Unauthorized } from '../lib/errors.js';
import type { Trx } from '../store/store.js';
import { acceptJob } from './accept-job.js';
import { claimJobs } from './claim-jobs.js';
import { getJob } from './get-job.js';
import { listPostalJobs } from './list-jobs.js';
import type { PostalContext } from './postal.context.js';
import { recordPostalEvent } from './record-postal-event.js';
import { releaseJob } from './release-job.js';

const tags = ['Postal service'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T>(schema: T) => ({ required: true, ...json(schema) });

const claimRoute = createRoute({
  method: 'post',
  path: '/v1/postal/jobs/claim',
  tags,
  summary: 'Lease the oldest open jobs (postal clients only)',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: body(ClaimSchema) },
  responses: {
    200: { description: 'The leased jobs (possibly none)', ...json(ClaimResultSchema) },
    ...problems(...WRITE_PROBLEMS),
  },
});

const acceptRoute = createRoute({
  method: 'post',
  path: '/v1/postal/jobs/{id}/accept',
  tags,
  summary: 'Accept a leased job with its S10 tracking number',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, params: IdParamsSchema, body: body(AcceptSchema) },
  responses: {
    200: { description: 'The accepted job', ...json(JobSchema) },
    ...problems(...WRITE_PROBLEMS, 404),
  },
});

const releaseRoute = createRoute({
  method: 'post',
  path: '/v1/postal/jobs/{id}/release',
  tags,
  summary: 'Give a leased job back to the pool',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, params: IdParamsSchema, body: body(ReleaseSchema) },
  responses: {
    200: { description: 'The job, open again', ...json(JobSchema) },
    ...problems(...WRITE_PROBLEMS, 404),
  },
});

const eventRoute = createRoute({
  method: 'post',
  path: '/v1/postal/jobs/{id}/events',
  tags,
  summary: 'Report a tracking event of an accepted job',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, params: IdParamsSchema, body: body(PostalEventInputSchema) },
  responses: {
    200: { description: 'Applied, recorded only, or a duplicate', ...json(PostalEventResultSchema) },
    ...problems(...WRITE_PROBLEMS, 404),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/postal/jobs/{id}',
  tags,
  summary: 'One job this client accepted or holds a lease on',
  security: SECURITY,
  request: { params: IdParamsSchema },
  responses: {
    200: { description: 'The job', ...json(JobSchema) },
    ...problems(400, 401, 403, 404, 500),
  },
});

const opsListRoute = createRoute({
  method: 'get',
  path: '/v1/ops/postal/jobs',
  tags: ['Operations'],
  summary: 'Postal jobs by state, kind and agency, oldest first (cursor pages)',
  security: SECURITY,
  request: { query: OpsJobQuerySchema },
  responses: {
    200: { description: 'One page', ...json(OpsJobListSchema) },
    ...problems(400, 401, 403, 500),
  },
});

/** Runs a postal use case in a unit of work, as the calling postal client. */
function inUnit<B>(c: Context<AppEnv>, work: (ctx: PostalContext) => Promise<B>) {
  const principal = c.get('principal');
  if (!principal) throw new Unauthorized('no authenticated client');
  const deps = c.get('services').intake;
  return writeTransaction(c, async (trx: Trx) => ({
    status: 200 as const,
    body: await work({ ...writeContext(trx, deps), principal }),
  }));
}

export function postalRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(claimRoute, async (c) => {
    const input = c.req.valid('json');
    return c.json((await inUnit(c, (ctx) => claimJobs(ctx, input))).body, 200);
  });
  app.openapi(acceptRoute, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    return c.json((await inUnit(c, (ctx) => acceptJob(ctx, id, input))).body, 200);
  });
  app.openapi(releaseRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { leaseToken } = c.req.valid('json');
    return c.json((await inUnit(c, (ctx) => releaseJob(ctx, id, leaseToken))).body, 200);
  });
  app.openapi(eventRoute, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    return c.json((await inUnit(c, (ctx) => recordPostalEvent(ctx, id, input))).body, 200);
  });
  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    if (!principal) throw new Unauthorized('no authenticated client');
    const { store, clock } = c.get('services');
    return c.json(await getJob(store.db, principal, id, clock.now()), 200);
  });
  app.openapi(opsListRoute, async (c) => {
    const { store } = c.get('services');
    return c.json(await listPostalJobs(store.db, c.req.valid('query')), 200);
  });
  return app;
}
