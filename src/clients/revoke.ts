/** Revoking an API client: its key stops working (within the authentication cache's half second). */
import type { Client } from '../../schemas/client.js';
import type { Clock } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { markClientRevoked } from './client.store.js';
import { getClient } from './get.js';

/**
 * Revokes the client and returns it; NotFound when there is no such client. Revoking twice is
 * harmless: the first revocation time is kept.
 */
export async function revokeClient(db: Db, clock: Clock, id: string): Promise<Client> {
  await markClientRevoked(db, id, clock.now());
  return getClient(db, id);
}
