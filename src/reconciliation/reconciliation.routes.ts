/**
 * Operator routes of reconciliation (docs/reconciliation.md): start a run and read it, list findings,
 * read the log and verify it. Each handler reads its validated input, calls its use case and answers;
 * a started run goes on after the 202, in the background of the request.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  FindingListSchema,
  FindingQuerySchema,
  LastVerificationSchema,
  LogPageSchema,
  LogQuerySchema,
  RunParamsSchema,
  RunSchema,
  StartRunSchema,
  VerificationSchema,
} from '../../schemas/reconciliation.js';
import { type AppEnv, actorOf } from '../http/context.js';
import { writeTransaction } from '../http/idempotency.js';
import { IdempotencyHeaders, problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { getRun, toRunView } from './get-run.js';
import { lastVerification } from './last-verification.js';
import { listFindings } from './list-findings.js';
import { listLog } from './list-log.js';
import type { RunContext } from './reconciliation.context.js';
import type { RunRecord } from './run.store.js';
import { runReconciliation } from './run-reconciliation.js';
import { startRun } from './start-run.js';
import { verifyLogNow } from './verify-log-now.js';

const tags = ['Reconciliation'];
const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const startRoute = createRoute({
  method: 'post',
  path: '/v1/ops/reconciliation/runs',
  tags,
  summary: 'Start a reconciliation run: compare with the portal (TraCuuHoSo) and check the invariants',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: false, content: { 'application/json': { schema: StartRunSchema } } },
  },
  responses: {
    202: json(RunSchema, 'Started; follow Location for its state'),
    ...problems(400, 401, 403, 409, 413, 415, 422, 500),
  },
});

const runRoute = createRoute({
  method: 'get',
  path: '/v1/ops/reconciliation/runs/{id}',
  tags,
  summary: 'A run: state, period, whether the portal was compared, findings opened and closed per kind',
  security: SECURITY,
  request: { params: RunParamsSchema },
  responses: { 200: json(RunSchema, 'The run'), ...problems(400, 401, 403, 404, 500) },
});

const findingsRoute = createRoute({
  method: 'get',
  path: '/v1/ops/findings',
  tags,
  summary: 'Findings by kind, agency, open or closed (id pages)',
  security: SECURITY,
  request: { query: FindingQuerySchema },
  responses: { 200: json(FindingListSchema, 'One page, oldest first'), ...problems(400, 401, 403, 500) },
});

const logRoute = createRoute({
  method: 'get',
  path: '/v1/ops/log',
  tags,
  summary: 'Reconciliation log entries as stored (no personal data), by time or id, kind and dossier',
  security: SECURITY,
  request: { query: LogQuerySchema },
  responses: { 200: json(LogPageSchema, 'One page, in id order'), ...problems(400, 401, 403, 500) },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/v1/ops/log/verify',
  tags,
  summary: 'Verify the log now (the same check as the CLI `log verify`); the result is kept',
  security: SECURITY,
  responses: { 200: json(VerificationSchema, 'The verification'), ...problems(401, 403, 500) },
});

const lastVerifyRoute = createRoute({
  method: 'get',
  path: '/v1/ops/log/verify',
  tags,
  summary: 'The last verification asked through the API, and when',
  security: SECURITY,
  responses: { 200: json(LastVerificationSchema, 'The last one, or null'), ...problems(401, 403, 500) },
});

/** The run context of this app's services. */
export function runContext(c: Context<AppEnv>): RunContext {
  const s = c.get('services');
  return {
    store: s.store,
    clock: s.clock,
    portal: s.portal,
    config: s.config.reconciliation,
    calendar: s.calendar,
  };
}

/** Goes on with a started run after the answer; on Workers the request's execution context keeps it alive. */
function inBackground(c: Context<AppEnv>, task: Promise<unknown>): void {
  const logged = task.catch((error: unknown) =>
    c.get('services').logger.error('reconciliation run failed', { error: (error as Error).message }),
  );
  try {
    c.executionCtx.waitUntil(logged);
  } catch {
    // Node: no execution context; the process keeps the promise alive.
  }
}

export function reconciliationRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(startRoute, async (c) => {
    const body = (c.req.valid('json') ?? {}) as { from?: string; to?: string };
    const ctx = runContext(c);
    const requestedBy = actorOf(c.get('principal'));
    let started: RunRecord | undefined;
    const answer = await writeTransaction(c, async (trx) => {
      started = await startRun(trx, ctx, {
        trigger: 'operator',
        requestedBy,
        fromMs: body.from === undefined ? undefined : Date.parse(body.from),
        toMs: body.to === undefined ? undefined : Date.parse(body.to),
      });
      return { status: 202 as const, body: toRunView(started) };
    });
    if (started) inBackground(c, runReconciliation(ctx, started));
    c.header('Location', `/v1/ops/reconciliation/runs/${answer.body.id}`);
    return c.json(answer.body, 202);
  });

  app.openapi(runRoute, async (c) =>
    c.json(await getRun(c.get('services').store.db, c.req.valid('param').id), 200),
  );

  app.openapi(findingsRoute, async (c) =>
    c.json(await listFindings(c.get('services').store.db, c.req.valid('query')), 200),
  );

  app.openapi(logRoute, async (c) =>
    c.json(await listLog(c.get('services').store.db, c.req.valid('query')), 200),
  );

  app.openapi(verifyRoute, async (c) => {
    const s = c.get('services');
    const by = actorOf(c.get('principal'));
    return c.json(await verifyLogNow(s.store, s.intake.logKey, by, () => s.clock.now()), 200);
  });

  app.openapi(lastVerifyRoute, async (c) =>
    c.json({ last: await lastVerification(c.get('services').store.db) }, 200),
  );

  return app;
}
