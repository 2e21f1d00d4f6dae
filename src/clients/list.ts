/** Listing API clients (never their keys). */
import type { Client } from '../../schemas/client.js';
import type { Db } from '../store/store.js';
import { toClient } from './client.js';
import { findClients } from './client.store.js';

/** Every client, newest first, without keys. */
export async function listClients(db: Db): Promise<Client[]> {
  return (await findClients(db)).map(toClient);
}
