/** The `dossier_aliases` table: other systems' codes of a dossier, kept after a merge. */
import { prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';

const insertRow = prepared<{ code: string; dossierId: string; system: string; now: number }>()((db, p) =>
  db
    .insertInto('dossier_aliases')
    .values({ code: p.code, dossier_id: p.dossierId, system: p.system, created_at_ms: p.now })
    .onConflict((oc) => oc.column('code').doNothing()),
);

const selectTarget = prepared<{ code: string }>()((db, p) =>
  db.selectFrom('dossier_aliases').select('dossier_id').where('code', '=', p.code),
);

const selectByDossier = prepared<{ dossierId: string }>()((db, p) =>
  db
    .selectFrom('dossier_aliases')
    .select(['code', 'system'])
    .where('dossier_id', '=', p.dossierId)
    .orderBy('code'),
);

/** Adds a code as an alias of a dossier; a code that is already an alias stays where it is. */
export async function insertAlias(
  db: Db,
  alias: { code: string; dossierId: string; system: string },
  now: number,
): Promise<void> {
  await insertRow.run(db, { ...alias, now });
}

/** The dossier a code is an alias of. */
export async function findAliasTarget(db: Db, code: string): Promise<string | undefined> {
  return (await selectTarget.first(db, { code }))?.dossier_id;
}

/** The aliases of a dossier, by code. */
export async function listAliases(db: Db, dossierId: string): Promise<{ code: string; system: string }[]> {
  return selectByDossier.all(db, { dossierId });
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
