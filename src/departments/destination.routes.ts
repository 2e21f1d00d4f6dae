/**
 * Admin routes for departmental destinations (docs/departments.md, Destinations): HTTP in and out around
 * the use cases of this folder (the CLI calls the same). Credentials are accepted, never answered.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  DestinationInputSchema,
  DestinationListSchema,
  DestinationSchema,
} from '../../schemas/departments.js';
import { zToken } from '../../schemas/identifiers.js';
import { type AppEnv, actorOf } from '../http/context.js';
import { writeTransaction } from '../http/idempotency.js';
import { IdempotencyHeaders, problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { addDestination } from './add-destination.js';
import { listDestinations } from './list-destinations.js';
import { removeDestination } from './remove-destination.js';

const tags = ['Departments'];
const PATH = '/v1/admin/destinations';
const SystemParams = z.object({ system: zToken('system_name_format', 64) });

const listRoute = createRoute({
  method: 'get',
  path: PATH,
  tags,
  summary: 'Departmental destinations dossiers are forwarded to (never their credentials)',
  security: SECURITY,
  responses: {
    200: { description: 'Destinations', content: { 'application/json': { schema: DestinationListSchema } } },
    ...problems(401, 403, 500),
  },
});

const addRoute = createRoute({
  method: 'post',
  path: PATH,
  tags,
  summary: 'Register a departmental destination: system, profile, base URL, credentials, agencies',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: DestinationInputSchema } } },
  },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: DestinationSchema } } },
    ...problems(400, 401, 403, 409, 413, 415, 422, 500),
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: `${PATH}/{system}`,
  tags,
  summary: 'Remove a departmental destination: nothing new is forwarded to it',
  security: SECURITY,
  request: { params: SystemParams, headers: IdempotencyHeaders },
  responses: {
    204: { description: 'Removed' },
    ...problems(400, 401, 403, 404, 409, 500),
  },
});

export function destinationRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(listRoute, async (c) =>
    c.json({ items: await listDestinations(c.get('services').store.db) }, 200),
  );
  app.openapi(addRoute, async (c) => {
    const input = c.req.valid('json');
    const actor = actorOf(c.get('principal'));
    const { clock, destinationSecrets } = c.get('services');
    const now = clock.now();
    const answer = await writeTransaction(c, async (trx) => ({
      status: 201 as const,
      body: await addDestination(trx, input, actor, now, destinationSecrets),
    }));
    return c.json(answer.body, 201);
  });
  app.openapi(removeRoute, async (c) => {
    const { system } = c.req.valid('param');
    const actor = actorOf(c.get('principal'));
    const now = c.get('services').clock.now();
    await writeTransaction(c, async (trx) => {
      await removeDestination(trx, system, actor, now);
      return { status: 204 as const, body: null };
    });
    return c.body(null, 204);
  });
  return app;
}
