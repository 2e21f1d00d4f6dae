/**
 * Operator routes for delivery: list transfers (dead letters by default) with filters, replay one or
 * many, and the health of each destination. Replays keep per-dossier order: a replayed transfer becomes
 * the head of its dossier's queue again and everything after it keeps waiting behind it.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { type ExpressionBuilder, sql } from 'kysely';
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
import { parseInstant, toVnIso } from '../lib/time.js';
import { appendLog } from '../reconciliation/log.js';
import type { Database } from '../store/tables.js';
import { DESTINATIONS } from './outbox.js';

const tags = ['Operations'];

const listTransfers = createRoute({
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

const replay = createRoute({
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

const health = createRoute({
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

/** Blocked: a pending transfer with a dead one before it in the same dossier's queue. */
const isBlocked = (eb: ExpressionBuilder<Database, 'transfers'>) =>
  eb.exists(
    eb
      .selectFrom('transfers as p')
      .select('p.id')
      .whereRef('p.destination', '=', 'transfers.destination')
      .whereRef('p.dossier_id', '=', 'transfers.dossier_id')
      .whereRef('p.seq', '<', 'transfers.seq')
      .where('p.state', '=', 'dead'),
  );

export function transferRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(listTransfers, async (c) => {
    const q = c.req.valid('query');
    const { db } = c.get('services').store;
    let query = db
      .selectFrom('transfers')
      .leftJoin('dossiers', 'dossiers.id', 'transfers.dossier_id')
      .select([
        'transfers.id',
        'transfers.destination',
        'transfers.kind',
        'transfers.dossier_id',
        'transfers.seq',
        'transfers.idempotency_key',
        'transfers.state',
        'transfers.attempts',
        'transfers.next_attempt_at_ms',
        'transfers.last_error',
        'transfers.created_at_ms',
        'transfers.updated_at_ms',
        'dossiers.code',
        'dossiers.agency_code',
      ])
      .select((eb) => isBlocked(eb).as('blocked'));
    if (q.state === 'blocked')
      query = query.where('transfers.state', '=', 'pending').where((eb) => isBlocked(eb));
    else query = query.where('transfers.state', '=', q.state);
    if (q.destination) query = query.where('transfers.destination', '=', q.destination);
    if (q.agency) query = query.where('dossiers.agency_code', '=', q.agency);
    if (q.dossierId) query = query.where('transfers.dossier_id', '=', q.dossierId);
    if (q.from) query = query.where('transfers.created_at_ms', '>=', parseInstant(q.from));
    if (q.to) query = query.where('transfers.created_at_ms', '<', parseInstant(q.to));
    if (q.after !== undefined) query = query.where('transfers.id', '>', q.after);
    const rows = await query
      .orderBy('transfers.id')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    return c.json(
      {
        items: page.map((r) => ({
          id: r.id,
          destination: r.destination,
          kind: r.kind,
          dossierId: r.dossier_id,
          dossierCode: r.code,
          agency: r.agency_code,
          seq: r.seq,
          idempotencyKey: r.idempotency_key,
          state: r.state,
          blocked: Boolean(r.blocked),
          attempts: r.attempts,
          nextAttemptAt: toVnIso(r.next_attempt_at_ms),
          lastError: r.last_error,
          createdAt: toVnIso(r.created_at_ms),
          updatedAt: toVnIso(r.updated_at_ms),
        })),
        nextAfter: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
      },
      200,
    );
  });

  app.openapi(replay, async (c) => {
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const { clock } = c.get('services');
    const answer = await writeTransaction(c, async (trx) => {
      const now = clock.now();
      let ids = trx
        .selectFrom('transfers')
        .leftJoin('dossiers', 'dossiers.id', 'transfers.dossier_id')
        .select('transfers.id')
        .where('transfers.state', '=', 'dead');
      if (body.ids) ids = ids.where('transfers.id', 'in', body.ids.length > 0 ? body.ids : [-1]);
      const f = body.filter ?? {};
      if (f.destination) ids = ids.where('transfers.destination', '=', f.destination);
      if (f.agency) ids = ids.where('dossiers.agency_code', '=', f.agency);
      if (f.dossierId) ids = ids.where('transfers.dossier_id', '=', f.dossierId);
      if (f.from) ids = ids.where('transfers.created_at_ms', '>=', parseInstant(f.from));
      if (f.to) ids = ids.where('transfers.created_at_ms', '<', parseInstant(f.to));
      const chosen = (await ids.execute()).map((r) => r.id);
      for (let i = 0; i < chosen.length; i += 500) {
        await trx
          .updateTable('transfers')
          .set({ state: 'pending', attempts: 0, next_attempt_at_ms: now, updated_at_ms: now })
          .where('id', 'in', chosen.slice(i, i + 500))
          .where('state', '=', 'dead')
          .execute();
      }
      if (chosen.length > 0) {
        await appendLog(
          trx,
          {
            kind: 'transfer.replayed',
            actor: principal ? `${principal.role}:${principal.name} (${principal.id})` : 'unknown',
            data: {
              count: chosen.length,
              ids: chosen.slice(0, 1000),
              filter: body.filter,
              byIds: body.ids !== undefined,
            },
          },
          now,
        );
      }
      return { status: 200 as const, body: { replayed: chosen.length } };
    });
    return c.json(answer.body, 200);
  });

  app.openapi(health, async (c) => {
    const { db } = c.get('services').store;
    const now = c.get('services').clock.now();
    const destinations = [];
    for (const name of DESTINATIONS) {
      const d = await db.selectFrom('destinations').selectAll().where('name', '=', name).executeTakeFirst();
      const counts = await db
        .selectFrom('transfers')
        .select(['state', sql<number>`count(*)`.as('n'), sql<number | null>`min(created_at_ms)`.as('oldest')])
        .where('destination', '=', name)
        .where('state', 'in', ['pending', 'in_flight', 'dead', 'held'])
        .groupBy('state')
        .execute();
      const n = (s: string) => Number(counts.find((r) => r.state === s)?.n ?? 0);
      const oldest = counts
        .filter((r) => r.state === 'pending' || r.state === 'in_flight')
        .map((r) => r.oldest)
        .filter((v): v is number => v !== null);
      const blocked = await db
        .selectFrom('transfers')
        .select(sql<number>`count(*)`.as('n'))
        .where('destination', '=', name)
        .where('state', '=', 'pending')
        .where((eb) => isBlocked(eb))
        .executeTakeFirst();
      destinations.push({
        name,
        circuit: d?.circuit ?? 'closed',
        pending: n('pending') + n('in_flight'),
        held: n('held'),
        oldestPendingAgeMs: oldest.length > 0 ? now - Math.min(...oldest) : null,
        dead: n('dead'),
        blocked: Number(blocked?.n ?? 0),
        lastSuccessAt: d?.last_success_ms ? toVnIso(d.last_success_ms) : null,
        lastError: d?.last_error ?? null,
        lastErrorAt: d?.last_error_ms ? toVnIso(d.last_error_ms) : null,
        alert: d?.alert ?? null,
      });
    }
    const reviews = await db
      .selectFrom('dedup_reviews')
      .select(sql<number>`count(*)`.as('n'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    const status = destinations.some((d) => d.alert)
      ? 'alert'
      : destinations.some((d) => d.circuit !== 'closed' || d.dead > 0)
        ? 'degraded'
        : 'ok';
    return c.json({ status, destinations, reviewsPending: Number(reviews?.n ?? 0) } as const, 200);
  });

  return app;
}
