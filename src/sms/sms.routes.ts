/**
 * Operator routes for SMS opt-outs (docs/sms.md, Opt-out): list, add, remove. A number travels only in
 * the body of the POST (never in a URL, which access logs keep); removal names the opt-out by its id.
 * Each handler reads its validated input, calls its use case and answers.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { IdParamsSchema } from '../../schemas/identifiers.js';
import { SmsOptOutInputSchema, SmsOptOutListSchema, SmsOptOutSchema } from '../../schemas/sms.js';
import { type AppEnv, actorOf } from '../http/context.js';
import { writeTransaction } from '../http/idempotency.js';
import { IdempotencyHeaders, problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import type { Trx } from '../store/store.js';
import { addOptOut, type OptOutContext } from './add-optout.js';
import { listOptOutViews } from './list-optouts.js';
import { removeOptOut } from './remove-optout.js';
import { optOutDigest } from './settings.js';

const tags = ['SMS'];
const PATH = '/v1/ops/sms/optouts';

const listRoute = createRoute({
  method: 'get',
  path: PATH,
  tags,
  summary: 'Phone numbers opted out of SMS notices (digest and masked hint only)',
  security: SECURITY,
  request: { query: z.strictObject({}) },
  responses: {
    200: { description: 'Every opt-out', content: { 'application/json': { schema: SmsOptOutListSchema } } },
    ...problems(400, 401, 403, 500),
  },
});

const addRoute = createRoute({
  method: 'post',
  path: PATH,
  tags,
  summary: 'Opt a phone number out of SMS notices',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: SmsOptOutInputSchema } } },
  },
  responses: {
    201: { description: 'Opted out', content: { 'application/json': { schema: SmsOptOutSchema } } },
    200: { description: 'Already opted out', content: { 'application/json': { schema: SmsOptOutSchema } } },
    ...problems(400, 401, 403, 409, 413, 415, 422, 500),
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: `${PATH}/{id}`,
  tags,
  summary: 'Remove an opt-out by its id: the number gets notices again',
  security: SECURITY,
  request: { params: IdParamsSchema, headers: IdempotencyHeaders },
  responses: {
    204: { description: 'Removed' },
    ...problems(400, 401, 403, 404, 409, 500),
  },
});

function optOutContext(c: Context<AppEnv>, trx: Trx): OptOutContext {
  const services = c.get('services');
  return {
    trx,
    digest: optOutDigest(services.intake.logKey),
    actor: actorOf(c.get('principal')),
    now: services.clock.now(),
  };
}

export function smsRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(listRoute, async (c) => c.json(await listOptOutViews(c.get('services').store.db), 200));

  app.openapi(addRoute, async (c) => {
    const body = c.req.valid('json');
    const answer = await writeTransaction(c, async (trx) => {
      const r = await addOptOut(optOutContext(c, trx), body);
      return { status: r.created ? (201 as const) : (200 as const), body: r.optOut };
    });
    return c.json(answer.body, answer.status);
  });

  app.openapi(removeRoute, async (c) => {
    const { id } = c.req.valid('param');
    await writeTransaction(c, async (trx) => {
      await removeOptOut(optOutContext(c, trx), { id });
      return { status: 204 as const, body: null };
    });
    return c.body(null, 204);
  });

  return app;
}
