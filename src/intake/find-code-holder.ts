/** The dossier holding a code, as its own code or as an alias (a merged system's code). */
import type { Db } from '../store/store.js';
import { findAliasTarget } from './alias.store.js';
import type { DossierRecord } from './dossier.row.js';
import { findDossier, findDossierWithOwnCode, findLiveDossier } from './dossier.store.js';

/** The live dossier a code leads to: by its own code (following a merge), or by an alias. */
export async function findCodeHolder(db: Db, code: string): Promise<DossierRecord | undefined> {
  const own = await findDossierWithOwnCode(db, code);
  if (own) return own.mergedInto ? findLiveDossier(db, own.id) : own;
  const aliased = await findAliasTarget(db, code);
  return aliased ? findDossier(db, aliased) : undefined;
}
