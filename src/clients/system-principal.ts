/**
 * Use case: the principal a polled departmental system acts as (docs/departments.md, Pull): its own
 * active department client, so what the gateway pulls from it goes through the same scope checks as
 * what it pushes. None (never created, or revoked): nothing is pulled from it.
 */
import type { Db } from '../store/store.js';
import { type Principal, toPrincipal } from './client.js';
import { findActiveSystemClient } from './client.store.js';

export async function systemPrincipal(db: Db, system: string): Promise<Principal | undefined> {
  const client = await findActiveSystemClient(db, system);
  return client ? toPrincipal(client) : undefined;
}
