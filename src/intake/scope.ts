/** Who may act for which agency: a department client only for its own agencies (docs/architecture.md). */
import type { Principal } from '../clients/client.service.js';
import { Forbidden } from '../lib/errors.js';

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
