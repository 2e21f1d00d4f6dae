/**
 * The `dossiers` table: one named function per statement. Rows go in through the one row builder
 * (`toDossierRow`) and come out decoded (`fromDossierRow`); nothing outside this file sees a row.
 */
import type { DossierStatus } from '../../schemas/dossier.js';
import type { DueRule } from '../deadlines/due-rule.js';
import { literalLimit, prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { DossierRow } from '../store/tables.js';
import { type DossierRecord, fromDossierRow, toDossierRow } from './dossier.row.js';

const MAX_MERGE_HOPS = 20;

/** Every column but the id, in table order: the shape of the prepared insert and update. */
const COLUMNS = [
  'code',
  'agency_code',
  'procedure_code',
  'status',
  'status_at_ms',
  'applicant_id_number',
  'received_at_ms',
  'data',
  'version',
  'created_at_ms',
  'updated_at_ms',
  'applicant_name_key',
  'applicant_phone',
  'received_day',
  'held',
  'merged_into',
  'due_at_ms',
  'closed_at_ms',
  'channel',
  'digitised',
] as const satisfies readonly (keyof DossierRow)[];

type Columns = Omit<DossierRow, 'id'>;

/** The placeholders of every column (placeholders are looked up by name, so list them one by one). */
const columnsOf = (p: DossierRow): Columns =>
  Object.fromEntries(COLUMNS.map((c) => [c, p[c]])) as unknown as Columns;

const insertRow = prepared<DossierRow>()((db, p) =>
  db.insertInto('dossiers').values({ id: p.id, ...columnsOf(p) }),
);

const updateRow = prepared<DossierRow>()((db, p) =>
  db.updateTable('dossiers').set(columnsOf(p)).where('id', '=', p.id),
);

const selectById = prepared<{ id: string }>()((db, p) =>
  db.selectFrom('dossiers').selectAll().where('id', '=', p.id),
);

const selectByCode = prepared<{ code: string }>()((db, p) =>
  db.selectFrom('dossiers').selectAll().where('code', '=', p.code),
);

/** Writes a new dossier; `due` computes a due instant the push did not give (docs/deadlines.md). */
export async function insertDossier(db: Db, dossier: DossierRecord, due?: DueRule): Promise<void> {
  await insertRow.run(db, toDossierRow(dossier, due));
}

/** Writes every column of a dossier that exists. */
export async function updateDossier(db: Db, dossier: DossierRecord, due?: DueRule): Promise<void> {
  await updateRow.run(db, toDossierRow(dossier, due));
}

/** The dossier with this id, merged away or not. */
export async function findDossier(db: Db, id: string): Promise<DossierRecord | undefined> {
  const row = await selectById.first(db, { id });
  return row ? fromDossierRow(row) : undefined;
}

/** Follows merge tombstones to the dossier that is live now (a merged dossier redirects to its target). */
export async function findLiveDossier(db: Db, id: string): Promise<DossierRecord | undefined> {
  let dossier = await findDossier(db, id);
  for (let hops = 0; dossier?.mergedInto && hops < MAX_MERGE_HOPS; hops++)
    dossier = await findDossier(db, dossier.mergedInto);
  return dossier;
}

/** The dossier whose own code this is (live or merged away). */
export async function findDossierWithOwnCode(db: Db, code: string): Promise<DossierRecord | undefined> {
  const row = await selectByCode.first(db, { code });
  return row ? fromDossierRow(row) : undefined;
}

/** Clears the review hold of a dossier (its review kept it apart). */
export async function clearHold(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('dossiers').set({ held: 0, updated_at_ms: now }).where('id', '=', id).execute();
}

/** Turns a dossier into a tombstone that redirects to `into`. */
export async function markMerged(db: Db, id: string, into: string, now: number): Promise<void> {
  await db
    .updateTable('dossiers')
    .set({ held: 0, merged_into: into, updated_at_ms: now })
    .where('id', '=', id)
    .execute();
}

export interface ListFilter {
  code?: string | undefined;
  agencies?: readonly string[] | undefined;
  status?: DossierStatus | undefined;
  updatedSinceMs?: number | undefined;
  after?: { updatedAtMs: number; id: string } | undefined;
  limit: number;
}

/** One page of live dossiers ordered by (updatedAt, id): a change feed that never skips a row. */
export async function listDossiers(db: Db, f: ListFilter): Promise<DossierRecord[]> {
  let q = db.selectFrom('dossiers').selectAll().where('merged_into', 'is', null);
  if (f.code) q = q.where('code', '=', f.code);
  if (f.agencies) q = q.where('agency_code', 'in', f.agencies.length > 0 ? [...f.agencies] : ['']);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.updatedSinceMs !== undefined) q = q.where('updated_at_ms', '>=', f.updatedSinceMs);
  const after = f.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('updated_at_ms', '>', after.updatedAtMs),
        eb.and([eb('updated_at_ms', '=', after.updatedAtMs), eb('id', '>', after.id)]),
      ]),
    );
  }
  const rows = await q.orderBy('updated_at_ms').orderBy('id').limit(literalLimit(f.limit)).execute();
  return rows.map(fromDossierRow);
}
