/**
 * Reconciliation log rows. `data` stays the canonical JSON text it was written as: the entry's hash
 * covers that exact text, so it is never decoded here (a re-encoding could break verification).
 */
import { literalLimit, prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { ReconciliationLogTable } from '../store/tables.js';

/** One log entry as stored (column names as in the table, which the hash covers). */
export type LogRow = Omit<ReconciliationLogTable, 'id'> & { id: number };

/** What an entry's hash covers: every column but the hashes. */
export type HashedFields = Omit<LogRow, 'prev_hash' | 'hash'>;

// Every accepted change appends an entry: both statements are prepared once.
const selectLast = prepared<Record<string, never>>()((db) =>
  db.selectFrom('reconciliation_log').select(['id', 'hash']).orderBy('id', 'desc').limit(literalLimit(1)),
);

const insertRow = prepared<LogRow>()((db, p) =>
  db.insertInto('reconciliation_log').values({
    id: p.id,
    at_ms: p.at_ms,
    kind: p.kind,
    actor: p.actor,
    dossier_id: p.dossier_id,
    transfer_id: p.transfer_id,
    data: p.data,
    prev_hash: p.prev_hash,
    hash: p.hash,
  }),
);

/** The id and hash of the newest entry, if any. */
export async function findLastLogEntry(db: Db): Promise<{ id: number; hash: string } | undefined> {
  return selectLast.first(db, {});
}

/** The hash of entry `id`, if there is one. */
export async function findLogEntryHash(db: Db, id: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('reconciliation_log')
    .select('hash')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.hash;
}

/** The time of entry `id`, if there is one. */
export async function findLogEntryTime(db: Db, id: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('reconciliation_log')
    .select('at_ms')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.at_ms;
}

/** Inserts one entry, its id and hashes already computed. */
export async function insertLogEntry(db: Db, row: LogRow): Promise<void> {
  await insertRow.run(db, row);
}

/** Up to `limit` entries with id ≥ `fromId`, in id order. */
export async function findLogEntriesFrom(db: Db, fromId: number, limit: number): Promise<LogRow[]> {
  return db
    .selectFrom('reconciliation_log')
    .selectAll()
    .where('id', '>=', fromId)
    .orderBy('id')
    .limit(literalLimit(limit))
    .execute();
}

/** The operators' filter of the log (docs/reconciliation.md). */
export interface LogFilter {
  afterId?: number | undefined;
  sinceMs?: number | undefined;
  kind?: string | undefined;
  dossierId?: string | undefined;
  limit: number;
}

/** One page of entries in id order. */
export async function selectLogPage(db: Db, f: LogFilter): Promise<LogRow[]> {
  let q = db.selectFrom('reconciliation_log').selectAll();
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.sinceMs !== undefined) q = q.where('at_ms', '>=', f.sinceMs);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.dossierId) q = q.where('dossier_id', '=', f.dossierId);
  return q.orderBy('id').limit(literalLimit(f.limit)).execute();
}

/** Entries after `afterId` of one of `kinds` (kind and data only), up to `limit` ids further on. */
export async function selectKindsAfter(
  db: Db,
  afterId: number,
  kinds: readonly string[],
  span: number,
): Promise<{ id: number; kind: string; data: string }[]> {
  return db
    .selectFrom('reconciliation_log')
    .select(['id', 'kind', 'data'])
    .where('id', '>', afterId)
    .where('id', '<=', afterId + span)
    .where('kind', 'in', kinds)
    .orderBy('id')
    .execute();
}
