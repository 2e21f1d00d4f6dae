/**
 * The operator's route that moves a dossier to another agency. It only translates HTTP; the move is
 * the use case in move-agency.ts (docs/dedup.md, "Field authority").
 */

import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { AgencyMoveSchema } from '../../schemas/dossier.js';
import { IdParamsSchema } from '../../schemas/identifiers.js';
import { DecisionResultSchema } from '../../schemas/review.js';
import { type AppEnv, actorOf } from '../http/context.js';
import { writeTransaction } from '../http/idempotency.js';
import { IdempotencyHeaders, problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { canonicalText } from '../lib/plain.js';
import { writeContext } from './intake.context.js';
import { moveAgency } from './move-agency.js';

const moveAgencyRoute = createRoute({
  method: 'post',
  path: '/v1/ops/dossiers/{id}/agency',
  tags: ['Dedup review'],
  summary: 'Move a dossier to another agency (no push can); logged with the operator who did it',
  security: SECURITY,
  request: {
    params: IdParamsSchema,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: AgencyMoveSchema } } },
  },
  responses: {
    200: {
      description: 'Moved (or already there)',
      content: { 'application/json': { schema: DecisionResultSchema } },
    },
    ...problems(400, 401, 403, 404, 409, 413, 415, 422, 500),
  },
});

/** The operator-only agency move sub-app. */
export function agencyRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(moveAgencyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { agency } = c.req.valid('json');
    const actor = actorOf(c.get('principal'));
    const deps = c.get('services').intake;
    const answer = await writeTransaction(c, async (trx) => {
      const r = await moveAgency(writeContext(trx, deps), {
        dossierId: id,
        agency: canonicalText(agency),
        actor,
      });
      return {
        status: 200 as const,
        body: { dossierId: r.dossierId, links: { dossier: `/v1/dossiers/${r.dossierId}` } },
      };
    });
    return c.json(answer.body, 200);
  });
  return app;
}
