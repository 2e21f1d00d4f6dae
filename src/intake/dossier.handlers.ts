/**
 * Handlers of the dossier routes: they read input only through `c.req.valid`, call one use case,
 * and turn its result into an HTTP answer (status, headers, body). No rules live here.
 */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { StatusEventInput } from '../../schemas/dossier.js';
import type { AppEnv } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { writeTransaction } from '../http/idempotency.js';
import type {
  getDossier,
  getEvents,
  listDossiersRoute,
  postEventById,
  postEventByRecord,
  pushDossier,
} from './dossier.routes.js';
import { findDossier } from './dossier.store.js';
import { toHistoryEntry } from './dossier.view.js';
import { getDossier as readDossier } from './get-dossier.js';
import { writeContext } from './intake.context.js';
import { listDossiers } from './list-dossiers.js';
import { loadDossier } from './load-dossier.js';
import { push } from './push.js';
import { type EventTarget, recordEvent } from './record-event.js';

function principalOf(c: { get(key: 'principal'): AppEnv['Variables']['principal'] }) {
  const principal = c.get('principal');
  if (!principal) throw new ApiError('unauthorized');
  return principal;
}

const PUSH_STATUS = { created: 201, held_for_review: 202, updated: 200, merged: 200 } as const;

export const pushDossierHandler: RouteHandler<typeof pushDossier, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const principal = principalOf(c);
  const deps = c.get('services').intake;
  const answer = await writeTransaction(c, async (trx) => {
    const result = await push(writeContext(trx, deps), principal, input);
    const dossier = 'view' in result ? result.view : await readBack(trx, result.dossierId);
    return {
      status: PUSH_STATUS[result.outcome],
      body: {
        ...dossier,
        outcome: result.outcome,
        ...('match' in result && result.match ? { match: result.match } : {}),
        ...('review' in result ? { review: result.review } : {}),
      },
    };
  });
  if (answer.status !== 200) c.header('Location', `/v1/dossiers/${answer.body.id}`);
  return c.json(answer.body, answer.status);
};

async function readBack(trx: Parameters<typeof loadDossier>[0], id: string) {
  const dossier = await findDossier(trx, id);
  if (!dossier) throw new Error('dossier vanished inside its own transaction');
  return loadDossier(trx, dossier);
}

const postEvent = async (c: Context<AppEnv>, target: EventTarget, event: StatusEventInput) => {
  const principal = principalOf(c);
  const deps = c.get('services').intake;
  const answer = await writeTransaction(c, async (trx) => {
    const result = await recordEvent(writeContext(trx, deps), principal, target, event);
    const { dossier, step } = result;
    return {
      status: result.outcome === 'duplicate' ? (200 as const) : (201 as const),
      body: {
        dossierId: dossier.id,
        code: dossier.code,
        status: dossier.status,
        event: toHistoryEntry(step),
        outcome: result.outcome,
        links: { dossier: `/v1/dossiers/${dossier.id}` },
      },
    };
  });
  return c.json(answer.body, answer.status);
};

export const postEventByIdHandler: RouteHandler<typeof postEventById, AppEnv> = (c) =>
  postEvent(c, { dossierId: c.req.valid('param').id }, c.req.valid('json'));

export const postEventByRecordHandler: RouteHandler<typeof postEventByRecord, AppEnv> = (c) =>
  postEvent(c, { recordId: c.req.valid('param').recordId }, c.req.valid('json'));

export const getDossierHandler: RouteHandler<typeof getDossier, AppEnv> = async (c) => {
  const read = await readDossier(c.get('services').store.db, principalOf(c), c.req.valid('param').id);
  // A dossier merged away (dual entry): the one it joined is the dossier now.
  if (read.mergedInto) c.header('Content-Location', `/v1/dossiers/${read.mergedInto}`);
  return c.json(read.dossier, 200);
};

export const getEventsHandler: RouteHandler<typeof getEvents, AppEnv> = async (c) => {
  const read = await readDossier(c.get('services').store.db, principalOf(c), c.req.valid('param').id);
  if (read.mergedInto) c.header('Content-Location', `/v1/dossiers/${read.mergedInto}/events`);
  return c.json({ dossierId: read.dossier.id, items: read.dossier.history }, 200);
};

export const listDossiersHandler: RouteHandler<typeof listDossiersRoute, AppEnv> = async (c) => {
  const page = await listDossiers(c.get('services').store.db, principalOf(c), c.req.valid('query'));
  let next: string | null = null;
  if (page.nextCursor) {
    const url = new URL(c.req.url);
    url.searchParams.set('cursor', page.nextCursor);
    next = `${url.pathname}${url.search}`;
  }
  return c.json({ items: page.items, nextCursor: page.nextCursor, links: { next } }, 200);
};
