/**
 * Use case: list transfers for the operators, one page at a time in id order: dead letters by default,
 * any state, or those blocked behind a dead letter, filtered by destination, agency, dossier and time.
 */
import type { z } from '@hono/zod-openapi';
import type { TransferListSchema, TransferQuerySchema } from '../../schemas/ops.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { selectTransferPage } from './transfer.store.js';
import { toTransferFilter } from './transfer-filter.js';

export type TransferQuery = z.infer<typeof TransferQuerySchema>;
export type TransferList = z.infer<typeof TransferListSchema>;

/** One page of `q.limit` transfers after `q.after`, and the cursor of the next page (null on the last). */
export async function listTransfers(db: Db, q: TransferQuery): Promise<TransferList> {
  const rows = await selectTransferPage(db, {
    state: q.state,
    filter: toTransferFilter(q),
    after: q.after,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
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
  };
}
