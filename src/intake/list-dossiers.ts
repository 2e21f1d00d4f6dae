/**
 * Lists dossiers a caller may see, ordered by (last change, id) and paged with an opaque cursor, so
 * the list doubles as a change feed that never skips a row. Merged-away dossiers are not listed.
 */
import type { DossierStatus, DossierSummary } from '../../schemas/dossier.js';
import type { Principal } from '../clients/client.service.js';
import { Validation } from '../lib/errors.js';
import { parseInstant } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { listDossiers as listRows } from './dossier.store.js';
import { toSummary } from './dossier.view.js';
import { assertAgencyScope } from './scope.js';

export interface ListQuery {
  code?: string | undefined;
  agency?: string | undefined;
  status?: DossierStatus | undefined;
  updatedSince?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

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
  throw new Validation([
    { path: 'query.cursor', rule: 'cursor_format', message: 'not a cursor this API issued' },
  ]);
}

/** One page, and the cursor of the next one (null on the last page). */
export async function listDossiers(
  db: Db,
  principal: Principal,
  q: ListQuery,
): Promise<{ items: DossierSummary[]; nextCursor: string | null }> {
  let agencies: readonly string[] | undefined = q.agency ? [q.agency] : undefined;
  if (principal.role === 'department') {
    if (q.agency) assertAgencyScope(principal, q.agency);
    else agencies = principal.agencies;
  }
  const rows = await listRows(db, {
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
    rows.length > q.limit && last ? encodeCursor({ updatedAtMs: last.updatedAtMs, id: last.id }) : null;
  return { items: page.map(toSummary), nextCursor };
}
