/**
 * Routes of the operators' review queue for possible dual entries: list pending pairs with scores and
 * per-field reasons, merge or keep apart, and split a wrong merge. They only translate HTTP; the
 * decisions are the use cases beside them (confirm-merge.ts, keep-apart.ts, split-dossier.ts).
 */

import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { IdParamsSchema } from '../../schemas/identifiers.js';
import {
  DecisionResultSchema,
  MergeDecisionSchema,
  REVIEW_STATES,
  ReviewListSchema,
  SplitRequestSchema,
} from '../../schemas/review.js';
import { type AppEnv, actorOf } from '../http/context.js';
import { writeTransaction } from '../http/idempotency.js';
import { IdempotencyHeaders, problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { writeContext } from '../intake/intake.context.js';
import { confirmMerge } from './confirm-merge.js';
import { keepApart as keepApartDecision } from './keep-apart.js';
import { listReviews as listReviewItems } from './list-reviews.js';
import { splitDossier as splitDossierOff } from './split-dossier.js';

const tags = ['Dedup review'];

const listReviews = createRoute({
  method: 'get',
  path: '/v1/ops/reviews',
  tags,
  summary: 'Possible dual entries held for an operator, with scores and per-field reasons',
  security: SECURITY,
  request: {
    query: z
      .object({
        state: z.enum(REVIEW_STATES).default('pending'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      })
      .strict(),
  },
  responses: {
    200: {
      description: 'Reviews, oldest first',
      content: { 'application/json': { schema: ReviewListSchema } },
    },
    ...problems(400, 401, 403, 500),
  },
});

const decisionResponses = {
  200: { description: 'Decided', content: { 'application/json': { schema: DecisionResultSchema } } },
  ...problems(400, 401, 403, 404, 409, 415, 422, 500),
};

const mergeReview = createRoute({
  method: 'post',
  path: '/v1/ops/reviews/{id}/merge',
  tags,
  summary: 'Confirm: the held record is the same dossier as a candidate; merge them',
  security: SECURITY,
  request: {
    params: IdParamsSchema,
    headers: IdempotencyHeaders,
    body: { required: false, content: { 'application/json': { schema: MergeDecisionSchema } } },
  },
  responses: decisionResponses,
});

const keepApart = createRoute({
  method: 'post',
  path: '/v1/ops/reviews/{id}/keep-apart',
  tags,
  summary: 'Decide: the held record is a dossier of its own; release its transfers',
  security: SECURITY,
  request: { params: IdParamsSchema, headers: IdempotencyHeaders },
  responses: decisionResponses,
});

const splitDossier = createRoute({
  method: 'post',
  path: '/v1/ops/dossiers/{id}/split',
  tags,
  summary: 'Undo a wrong merge: the named source goes back to a dossier of its own with its own events',
  security: SECURITY,
  request: {
    params: IdParamsSchema,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: SplitRequestSchema } } },
  },
  responses: decisionResponses,
});

const decided = (r: { dossierId: string }) => ({
  status: 200 as const,
  body: { dossierId: r.dossierId, links: { dossier: `/v1/dossiers/${r.dossierId}` } },
});

/** The operator-only review sub-app. */
export function reviewRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(listReviews, async (c) => {
    const items = await listReviewItems(c.get('services').store.db, c.req.valid('query'));
    return c.json({ items }, 200);
  });

  app.openapi(mergeReview, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json') as { into?: string } | undefined;
    const actor = actorOf(c.get('principal'));
    const deps = c.get('services').intake;
    const answer = await writeTransaction(c, async (trx) =>
      decided(await confirmMerge(writeContext(trx, deps), { reviewId: id, actor, into: body?.into })),
    );
    return c.json(answer.body, 200);
  });

  app.openapi(keepApart, async (c) => {
    const { id } = c.req.valid('param');
    const actor = actorOf(c.get('principal'));
    const deps = c.get('services').intake;
    const answer = await writeTransaction(c, async (trx) =>
      decided(await keepApartDecision(writeContext(trx, deps), { reviewId: id, actor })),
    );
    return c.json(answer.body, 200);
  });

  app.openapi(splitDossier, async (c) => {
    const { id } = c.req.valid('param');
    const source = c.req.valid('json');
    const actor = actorOf(c.get('principal'));
    const deps = c.get('services').intake;
    const answer = await writeTransaction(c, async (trx) => {
      const r = await splitDossierOff(writeContext(trx, deps), { dossierId: id, source, actor });
      return {
        status: 200 as const,
        body: { dossierId: r.dossierId, splitId: r.splitId, links: { dossier: `/v1/dossiers/${r.splitId}` } },
      };
    });
    return c.json(answer.body, 200);
  });

  return app;
}
