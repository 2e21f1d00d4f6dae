/** Admin routes to manage API clients: HTTP in and out around the use cases of this folder (the CLI calls the same). */

import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ClientInputSchema, ClientSchema, CreatedClientSchema } from '../../schemas/client.js';
import { IdParamsSchema } from '../../schemas/identifiers.js';
import type { AppEnv } from '../http/context.js';
import { writeTransaction } from '../http/idempotency.js';
import { IdempotencyHeaders, problems, SECURITY } from '../http/openapi.js';
import { validationHook } from '../http/problem.js';
import { createClient } from './create.js';
import { listClients } from './list.js';
import { revokeClient } from './revoke.js';

const tags = ['Clients'];

const addClientRoute = createRoute({
  method: 'post',
  path: '/v1/clients',
  tags,
  summary: 'Create an API client; the key is in this answer only',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: ClientInputSchema } } },
  },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: CreatedClientSchema } } },
    ...problems(400, 401, 403, 409, 413, 415, 422, 500),
  },
});

const listClientsRoute = createRoute({
  method: 'get',
  path: '/v1/clients',
  tags,
  summary: 'List API clients (never their keys)',
  security: SECURITY,
  responses: {
    200: {
      description: 'Clients',
      content: { 'application/json': { schema: z.object({ items: z.array(ClientSchema) }) } },
    },
    ...problems(401, 403, 500),
  },
});

const revokeClientRoute = createRoute({
  method: 'post',
  path: '/v1/clients/{id}/revoke',
  tags,
  summary: 'Revoke an API client; its key stops working within a second',
  security: SECURITY,
  request: { params: IdParamsSchema, headers: IdempotencyHeaders },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: ClientSchema } } },
    ...problems(401, 403, 404, 500),
  },
});

/** The admin-only sub-app for clients. */
export function clientRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(addClientRoute, async (c) => {
    const input = c.req.valid('json');
    const { clock } = c.get('services');
    const answer = await writeTransaction(
      c,
      async (trx) => ({ status: 201 as const, body: await createClient(trx, clock, input) }),
      // The key is shown once: a retry with the same Idempotency-Key gets the client without it.
      { replayBody: ({ key: _shownOnce, ...client }) => client },
    );
    return c.json(answer.body, 201);
  });
  app.openapi(listClientsRoute, async (c) =>
    c.json({ items: await listClients(c.get('services').store.db) }, 200),
  );
  app.openapi(revokeClientRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { clock } = c.get('services');
    const answer = await writeTransaction(c, async (trx) => ({
      status: 200 as const,
      body: await revokeClient(trx, clock, id), // NotFound answers 404 not_found
    }));
    c.get('services').clients.forget();
    return c.json(answer.body, 200);
  });
  return app;
}
