/** Reads the parts of a dossier's full view: sources, history, aliases and conflicts. */
import type { Dossier } from '../../schemas/dossier.js';
import type { Db } from '../store/store.js';
import { listAliases } from './alias.store.js';
import { listConflicts } from './conflict.store.js';
import type { DossierRecord } from './dossier.row.js';
import { assembleDossier } from './dossier.view.js';
import { listSteps } from './history.store.js';
import { listSourceRefs } from './source.store.js';

/** The full view of a dossier. */
export async function loadDossier(db: Db, dossier: DossierRecord): Promise<Dossier> {
  const [sources, history, aliases, conflicts] = await Promise.all([
    listSourceRefs(db, dossier.id),
    listSteps(db, dossier.id),
    listAliases(db, dossier.id),
    listConflicts(db, dossier.id),
  ]);
  return assembleDossier(dossier, { sources, history, aliases, conflicts });
}
