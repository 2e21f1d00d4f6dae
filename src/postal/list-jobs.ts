/**
 * The operators' list of postal jobs (`GET /v1/ops/postal/jobs`): by state, kind and agency, oldest
 * first, paged with an opaque cursor like the dossier list. It shows states and references, not the
 * receiver.
 */
import type { z } from '@hono/zod-openapi';
import type { OpsJobListSchema, OpsJobQuerySchema } from '../../schemas/postal.js';
import { Validation } from '../lib/errors.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { type JobRecord, listJobs as listRows } from './job.store.js';

type Query = z.output<typeof OpsJobQuerySchema>;
type JobList = z.output<typeof OpsJobListSchema>;

function encodeCursor(job: JobRecord): string {
  return btoa(JSON.stringify([job.createdAtMs, job.id])).replace(/=+$/, '');
}

function decodeCursor(text: string): { createdAtMs: number; id: string } {
  try {
    const [createdAtMs, id] = JSON.parse(atob(text)) as unknown[];
    if (typeof createdAtMs === 'number' && typeof id === 'string') return { createdAtMs, id };
  } catch {
    // fall through to the validation error
  }
  throw new Validation([
    { path: 'query.cursor', rule: 'cursor_format', message: 'not a cursor this API issued' },
  ]);
}

export async function listPostalJobs(db: Db, q: Query): Promise<JobList> {
  const rows = await listRows(db, {
    state: q.state,
    kind: q.kind,
    agency: q.agency,
    after: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: q.limit,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((j) => ({
      id: j.id,
      kind: j.kind,
      state: j.state,
      dossierId: j.dossierId,
      orderNumber: j.orderNumber,
      agency: j.agency,
      trackingNumber: j.trackingNumber,
      failedDeliveries: j.failedDeliveries,
      createdAt: toVnIso(j.createdAtMs),
      dueBy: toVnIso(j.dueByMs),
      updatedAt: toVnIso(j.updatedAtMs),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
  };
}
