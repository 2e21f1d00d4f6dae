/**
 * Reads one dossier for a caller. A dossier merged away answers the dossier it joined, and says so,
 * so a department that kept the old id still finds its dossier.
 */
import type { Dossier } from '../../schemas/dossier.js';
import type { Principal } from '../clients/client.service.js';
import { NotFound } from '../lib/errors.js';
import type { Db } from '../store/store.js';
import { findDossier, findLiveDossier } from './dossier.store.js';
import { loadDossier } from './load-dossier.js';
import { maySee } from './scope.js';

export interface DossierRead {
  dossier: Dossier;
  /** Set when the id was merged away: the id of the dossier answered instead. */
  mergedInto?: string;
}

/**
 * The dossier with this id, or the live one it was merged into — only when the caller may see the
 * dossier it would be answered with; otherwise NotFound, the same as for an id that never existed.
 */
export async function getDossier(db: Db, principal: Principal, id: string): Promise<DossierRead> {
  const found = await findDossier(db, id);
  const live = found?.mergedInto ? await findLiveDossier(db, id) : found;
  if (!found || !live || !(await maySee(db, principal, live))) throw new NotFound(`no dossier ${id}`);
  if (live.id !== found.id) return { dossier: await loadDossier(db, live), mergedInto: live.id };
  return { dossier: await loadDossier(db, found) };
}
