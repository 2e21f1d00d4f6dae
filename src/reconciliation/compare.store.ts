/**
 * What a reconciliation run compares with the portal (docs/reconciliation.md): the dossiers changed in
 * its period (keyset pages over `dossiers_updated`) and those with an open portal finding, each with its
 * code, agency, status and how many of its portal transfers are not delivered yet.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { Database } from '../store/tables.js';

export interface ComparedDossier {
  id: string;
  code: string;
  agency: string;
  status: string;
  updatedAtMs: number;
  /** Portal transfers held, pending, in flight or dead: the portal may not have it yet. */
  undelivered: number;
}

const undelivered = (eb: ExpressionBuilder<Database, 'dossiers'>) =>
  eb
    .selectFrom('transfers')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('transfers.dossier_id', '=', 'dossiers.id')
    .where('transfers.destination', '=', 'portal')
    .where('transfers.state', 'in', ['held', 'pending', 'in_flight', 'dead'])
    .as('undelivered');

const COLUMNS = ['id', 'code', 'agency_code', 'status', 'updated_at_ms'] as const;

type Picked = { id: string; code: string; agency_code: string; status: string; updated_at_ms: number };
const toCompared = (r: Picked & { undelivered: number | null }): ComparedDossier => ({
  id: r.id,
  code: r.code,
  agency: r.agency_code,
  status: r.status,
  updatedAtMs: r.updated_at_ms,
  undelivered: Number(r.undelivered ?? 0),
});

/** Dossiers (not merged away) changed in [fromMs, toMs), after the key `after`, in (time, id) order. */
export async function selectChangedDossiers(
  db: Db,
  p: { fromMs: number; toMs: number; after: { atMs: number; id: string } | null; limit: number },
): Promise<ComparedDossier[]> {
  let q = db
    .selectFrom('dossiers')
    .select([...COLUMNS, undelivered])
    .where('updated_at_ms', '>=', p.fromMs)
    .where('updated_at_ms', '<', p.toMs)
    .where('merged_into', 'is', null);
  const after = p.after;
  if (after) {
    q = q.where(sql<boolean>`(updated_at_ms, id) > (${after.atMs}, ${after.id})`);
  }
  const rows = await q.orderBy('updated_at_ms').orderBy('id').limit(literalLimit(p.limit)).execute();
  return rows.map(toCompared);
}

/** The dossiers among `ids` (not merged away). */
export async function selectDossiersForComparison(
  db: Db,
  ids: readonly string[],
): Promise<ComparedDossier[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('dossiers')
    .select([...COLUMNS, undelivered])
    .where('id', 'in', ids)
    .where('merged_into', 'is', null)
    .execute();
  return rows.map(toCompared);
}
