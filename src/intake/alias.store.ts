/** The `dossier_aliases` table: other systems' codes of a dossier, kept after a merge. */
import type { Db } from '../store/store.js';

/** Adds a code as an alias of a dossier; a code that is already an alias stays where it is. */
export async function insertAlias(
  db: Db,
  alias: { code: string; dossierId: string; system: string },
  now: number,
): Promise<void> {
  await db
    .insertInto('dossier_aliases')
    .values({ code: alias.code, dossier_id: alias.dossierId, system: alias.system, created_at_ms: now })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** The dossier a code is an alias of. */
export async function findAliasTarget(db: Db, code: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('dossier_aliases')
    .select('dossier_id')
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.dossier_id;
}

/** The aliases of a dossier, by code. */
export async function listAliases(db: Db, dossierId: string): Promise<{ code: string; system: string }[]> {
  return db
    .selectFrom('dossier_aliases')
    .select(['code', 'system'])
    .where('dossier_id', '=', dossierId)
    .orderBy('code')
    .execute();
}

/** Every alias of one dossier now points at another (a confirmed merge). */
export async function moveAliases(db: Db, fromId: string, toId: string): Promise<void> {
  await db
    .updateTable('dossier_aliases')
    .set({ dossier_id: toId })
    .where('dossier_id', '=', fromId)
    .execute();
}

/** Removes an alias (its code leaves with a split-off source). */
export async function deleteAlias(db: Db, code: string): Promise<void> {
  await db.deleteFrom('dossier_aliases').where('code', '=', code).execute();
}
