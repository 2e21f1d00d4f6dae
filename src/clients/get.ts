/** Reading one API client. */
import type { Client } from '../../schemas/client.js';
import { NotFound } from '../lib/errors.js';
import type { Db } from '../store/store.js';
import { toClient } from './client.js';
import { findClient } from './client.store.js';

/** The client `id`, revoked or not; NotFound when there is none. */
export async function getClient(db: Db, id: string): Promise<Client> {
  const client = await findClient(db, id);
  if (!client) throw new NotFound(`no client ${id}`);
  return toClient(client);
}
