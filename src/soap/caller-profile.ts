/**
 * The department profile of the calling system, when it is a registered destination (docs/soap.md, The
 * caller's profile): its codes and dates are then read through that profile.
 */
import { type DepartmentProfile, profileNamed } from '../../mappings/departments/index.js';
import type { Principal } from '../clients/client.js';
import { findDestination } from '../departments/destination.store.js';
import type { Db } from '../store/store.js';

export async function callerProfile(db: Db, principal: Principal): Promise<DepartmentProfile | undefined> {
  if (!principal.system) return undefined;
  const destination = await findDestination(db, principal.system);
  return destination ? profileNamed(destination.profile) : undefined;
}
