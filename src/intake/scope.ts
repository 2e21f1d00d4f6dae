/**
 * Who may act for which agency, and who may see which dossier (docs/architecture.md). A department
 * client acts only for its own agencies, and sees a dossier only when one of its agencies is the
 * dossier's agency or its system is a source of the dossier; any other dossier does not exist for it
 * (404, whatever path it takes), so no answer tells it apart from an unknown id.
 */
import type { Principal } from '../clients/client.service.js';
import { Forbidden } from '../lib/errors.js';
import type { Db } from '../store/store.js';
import type { DossierRecord } from './dossier.row.js';
import { sourceSystems } from './source.store.js';

/** Throws Forbidden unless the principal may act for `agency` (operators may act for every agency). */
export function assertAgencyScope(principal: Principal, agency: string): void {
  if (principal.role === 'department' && !principal.agencies.includes(agency)) {
    throw new Forbidden(`this client may not act for agency ${agency}`, { extra: { agency } });
  }
}

/** The source system of a department client; only those may push dossiers and events. */
export function sourceSystem(principal: Principal): string {
  if (principal.role !== 'department' || !principal.system) {
    throw new Forbidden('only department clients bound to a source system may push dossiers');
  }
  return principal.system;
}

/** True when the principal may see `dossier` (operators see every dossier). */
export async function maySee(db: Db, principal: Principal, dossier: DossierRecord): Promise<boolean> {
  if (principal.role !== 'department') return true;
  if (principal.agencies.includes(dossier.data.agency.code)) return true;
  return principal.system !== null && (await sourceSystems(db, dossier.id)).includes(principal.system);
}
