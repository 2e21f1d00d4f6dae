/**
 * Open dossiers by due instant (docs/deadlines.md): one keyset page at a time through the partial
 * indexes `dossiers_open_due` and `dossiers_open_agency_due` (migration 0013). The condition below is
 * the indexes' own condition, word for word, so SQLite can use them. No id number is ever selected.
 */
import { sql } from 'kysely';
import type { Db } from '../store/store.js';

export interface DeadlineRow {
  id: string;
  code: string;
  status: string;
  agency_code: string;
  agency_name: string | null;
  procedure_code: string;
  procedure_name: string | null;
  applicant_name: string | null;
  received_at_ms: number;
  due_at_ms: number;
}

export interface DeadlinePageQuery {
  agency?: string | undefined;
  /** Due at or after (inclusive). */
  fromMs?: number | undefined;
  /** Due before (exclusive). */
  beforeMs: number;
  after?: { dueAtMs: number; id: string } | undefined;
  limit: number;
}

/** Open dossiers due in [fromMs, beforeMs), ordered by (due, id), after the cursor. */
export async function selectOpenByDue(db: Db, q: DeadlinePageQuery): Promise<DeadlineRow[]> {
  let query = db
    .selectFrom('dossiers')
    .select([
      'id',
      'code',
      'status',
      'agency_code',
      'procedure_code',
      'received_at_ms',
      sql<number>`due_at_ms`.as('due_at_ms'),
      sql<string | null>`json_extract(data, '$.agency.name')`.as('agency_name'),
      sql<string | null>`json_extract(data, '$.procedure.name')`.as('procedure_name'),
      sql<string | null>`json_extract(data, '$.applicant.fullName')`.as('applicant_name'),
    ])
    .where(sql<boolean>`merged_into IS NULL AND closed_at_ms IS NULL AND due_at_ms IS NOT NULL`)
    .where('due_at_ms', '<', q.beforeMs);
  if (q.agency !== undefined) query = query.where('agency_code', '=', q.agency);
  if (q.fromMs !== undefined) query = query.where('due_at_ms', '>=', q.fromMs);
  if (q.after) query = query.where(sql<boolean>`(due_at_ms, id) > (${q.after.dueAtMs}, ${q.after.id})`);
  return (await query.orderBy('due_at_ms').orderBy('id').limit(q.limit).execute()) as DeadlineRow[];
}

/** Open dossiers without a stored due instant whose document has no `dueAt` (to compute at start). */
export async function selectDueless(
  db: Db,
  afterId: string,
  limit: number,
): Promise<{ id: string; procedure_code: string; received_at_ms: number }[]> {
  return db
    .selectFrom('dossiers')
    .select(['id', 'procedure_code', 'received_at_ms'])
    .where('due_at_ms', 'is', null)
    .where('id', '>', afterId)
    .where(sql<boolean>`json_extract(data, '$.dueAt') IS NULL`)
    .orderBy('id')
    .limit(limit)
    .execute();
}
