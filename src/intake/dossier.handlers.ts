/** Handlers for the dossier routes: read input via `c.req.valid`, call the intake service, answer. */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { DossierStatus, StatusEventInput } from '../../schemas/dossier.js';
import type { AppEnv } from '../http/context.js';
import { ApiError, validationError } from '../http/errors.js';
import { writeTransaction } from '../http/idempotency.js';
import { parseInstant } from '../lib/time.js';
import {
  findDossierRow,
  findLiveDossier,
  listDossiers,
  loadDossier,
  toHistoryEntry,
  toSummary,
} from './dossier.repository.js';
import type {
  getDossier,
  listDossiersRoute,
  postEventById,
  postEventByRecord,
  pushDossier,
} from './dossier.routes.js';
import { assertAgencyScope } from './intake.service.js';

function principalOf(c: { get(key: 'principal'): AppEnv['Variables']['principal'] }) {
  const principal = c.get('principal');
  if (!principal) throw new ApiError('unauthorized');
  return principal;
}

export const pushDossierHandler: RouteHandler<typeof pushDossier, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const principal = principalOf(c);
  const { intake } = c.get('services');
  const answer = await writeTransaction(c, async (trx) => {
    const result = await intake.push(trx, principal, input);
    const dossier = result.view ?? (await readDossier(trx, result.dossierId));
    const status = result.outcome === 'created' ? 201 : result.outcome === 'held_for_review' ? 202 : 200;
    return {
      status: status as 200 | 201 | 202,
      body: {
        ...dossier,
        outcome: result.outcome,
        ...(result.match ? { match: result.match } : {}),
        ...(result.review ? { review: result.review } : {}),
      },
    };
  });
  if (answer.status !== 200) c.header('Location', `/v1/dossiers/${answer.body.id}`);
  return c.json(answer.body, answer.status);
};

async function readDossier(trx: Parameters<typeof loadDossier>[0], id: string) {
  const row = await findDossierRow(trx, id);
  if (!row) throw new Error('dossier vanished inside its own transaction');
  return loadDossier(trx, row);
}

type EventTarget = { dossierId: string } | { recordId: string };

const recordEvent = async (c: Context<AppEnv>, target: EventTarget, event: StatusEventInput) => {
  const principal = principalOf(c);
  const { intake } = c.get('services');
  const answer = await writeTransaction(c, async (trx) => {
    const result = await intake.recordEvent(trx, principal, target, event);
    const row = await findDossierRow(trx, result.dossierId);
    const entry = await trx
      .selectFrom('status_history')
      .selectAll()
      .where('id', '=', result.historyId)
      .executeTakeFirst();
    if (!row || !entry) throw new Error('event vanished inside its own transaction');
    return {
      status: result.outcome === 'duplicate' ? (200 as const) : (201 as const),
      body: {
        dossierId: row.id,
        code: row.code,
        status: row.status as DossierStatus,
        event: toHistoryEntry(entry),
        outcome: result.outcome,
        links: { dossier: `/v1/dossiers/${row.id}` },
      },
    };
  });
  return c.json(answer.body, answer.status);
};

export const postEventByIdHandler: RouteHandler<typeof postEventById, AppEnv> = (c) =>
  recordEvent(c, { dossierId: c.req.valid('param').id }, c.req.valid('json'));

export const postEventByRecordHandler: RouteHandler<typeof postEventByRecord, AppEnv> = (c) =>
  recordEvent(c, { recordId: c.req.valid('param').recordId }, c.req.valid('json'));

export const getDossierHandler: RouteHandler<typeof getDossier, AppEnv> = async (c) => {
  const principal = principalOf(c);
  const { store } = c.get('services');
  const id = c.req.valid('param').id;
  const row = await findDossierRow(store.db, id);
  if (!row) throw new ApiError('not_found', `no dossier ${id}`);
  assertAgencyScope(principal, row.agency_code);
  if (row.merged_into) {
    const live = await findLiveDossier(store.db, id);
    if (live) {
      // The dossier was merged (dual entry): the one it joined is the dossier now.
      c.header('Content-Location', `/v1/dossiers/${live.id}`);
      return c.json(await loadDossier(store.db, live), 200);
    }
  }
  return c.json(await loadDossier(store.db, row), 200);
};

interface Cursor {
  updatedAtMs: number;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify([cursor.updatedAtMs, cursor.id])).replace(/=+$/, '');
}

function decodeCursor(text: string): Cursor {
  try {
    const [updatedAtMs, id] = JSON.parse(atob(text)) as unknown[];
    if (typeof updatedAtMs === 'number' && typeof id === 'string') return { updatedAtMs, id };
  } catch {
    // fall through to the validation error
  }
  throw validationError([
    { path: 'query.cursor', rule: 'cursor_format', message: 'not a cursor this API issued' },
  ]);
}

export const listDossiersHandler: RouteHandler<typeof listDossiersRoute, AppEnv> = async (c) => {
  const principal = principalOf(c);
  const q = c.req.valid('query');
  let agencies: readonly string[] | undefined = q.agency ? [q.agency] : undefined;
  if (principal.role === 'department') {
    if (q.agency) assertAgencyScope(principal, q.agency);
    else agencies = principal.agencies;
  }
  const rows = await listDossiers(c.get('services').store.db, {
    code: q.code,
    agencies,
    status: q.status,
    updatedSinceMs: q.updatedSince ? parseInstant(q.updatedSince) : undefined,
    after: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > q.limit && last ? encodeCursor({ updatedAtMs: last.updated_at_ms, id: last.id }) : null;
  let next: string | null = null;
  if (nextCursor) {
    const url = new URL(c.req.url);
    url.searchParams.set('cursor', nextCursor);
    next = `${url.pathname}${url.search}`;
  }
  return c.json({ items: page.map(toSummary), nextCursor, links: { next } }, 200);
};
