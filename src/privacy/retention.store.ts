/**
 * The statements of the retention job (docs/privacy.md): stored Idempotency-Key answers past their TTL
 * are deleted, and the frozen payloads of finished transfers past the raw-data retention are emptied.
 * A payload is emptied only when nothing can need it again: its transfer was delivered or cancelled,
 * no transfer of the same dossier and destination is still pending, in flight, dead or held (a replay
 * or a resend may need what came before it), and it is not the newest dossier sync of that dossier and
 * destination (the worker resends that one when the portal has lost the dossier; it holds what the
 * dossier row holds anyway).
 */
import type { ExpressionBuilder } from 'kysely';
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { Database } from '../store/tables.js';
import { HOLDING_STATES } from '../transfers/transfer.store.js';

/** What an emptied payload holds: valid JSON that maps to no portal object. */
export const PURGED_PAYLOAD = '{"purged":true}';

/** Finished transfers, last changed before `cutoffMs`, whose payload nothing can need again. */
function purgeable(eb: ExpressionBuilder<Database, 'transfers'>, cutoffMs: number) {
  const sameQueue = (alias: 'o' | 'n') =>
    eb
      .selectFrom(`transfers as ${alias}`)
      .select(`${alias}.id`)
      .whereRef(`${alias}.destination`, '=', 'transfers.destination')
      .whereRef(`${alias}.dossier_id`, '=', 'transfers.dossier_id');
  return eb.and([
    eb('transfers.state', 'in', ['delivered', 'cancelled']),
    eb('transfers.updated_at_ms', '<', cutoffMs),
    eb('transfers.payload', '!=', PURGED_PAYLOAD),
    eb.not(eb.exists(sameQueue('o').where('o.state', 'in', HOLDING_STATES))),
    eb.or([
      eb('transfers.kind', '!=', 'dossier_sync'),
      eb.exists(sameQueue('n').where('n.kind', '=', 'dossier_sync').whereRef('n.seq', '>', 'transfers.seq')),
    ]),
  ]);
}

/** Up to `limit` ids of transfers whose payload may be emptied. */
export async function selectPurgeableTransferIds(db: Db, cutoffMs: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('transfers')
    .select('transfers.id')
    .where((eb) => purgeable(eb, cutoffMs))
    .orderBy('transfers.id')
    .limit(literalLimit(limit))
    .execute();
  return rows.map((r) => r.id);
}

/** Empties the payloads of those of `ids` that may still be emptied; returns how many. */
export async function emptyTransferPayloads(
  db: Db,
  ids: readonly number[],
  cutoffMs: number,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('transfers')
    .set({ payload: PURGED_PAYLOAD })
    .where('transfers.id', 'in', ids)
    .where((eb) => purgeable(eb, cutoffMs))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes the Idempotency-Keys (and their stored answers) created before `cutoffMs`; returns how many. */
export async function deleteIdempotencyKeysBefore(db: Db, cutoffMs: number): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at_ms', '<', cutoffMs)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
