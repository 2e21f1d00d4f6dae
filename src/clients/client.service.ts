/**
 * The API clients facade that runtimes hand to the app (`services.clients`) and the CLI uses: the use
 * cases of this folder bound to one database handle and clock, plus the short authentication cache.
 * Keys are random, shown once, stored only as SHA-256 hashes, and revocable.
 */
import type { Client, ClientInput } from '../../schemas/client.js';
import { NotFound } from '../lib/errors.js';
import type { Clock } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { AuthCache } from './auth-cache.js';
import type { Clients, Principal } from './client.js';
import { createClient } from './create.js';
import { getClient } from './get.js';
import { listClients } from './list.js';
import { revokeClient } from './revoke.js';
import { verifyKey } from './verify.js';

export { KEY_PREFIX, type Principal } from './client.js';

export class ClientService implements Clients {
  private readonly cache = new AuthCache();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Creates a client and returns it with its key (the only time the key is visible). */
  add(input: ClientInput): Promise<Client & { key: string }> {
    return createClient(this.db, this.clock, input);
  }

  /** Every client, newest first, without keys. */
  list(): Promise<Client[]> {
    return listClients(this.db);
  }

  /** The client `id`, or undefined when there is none. */
  get(id: string): Promise<Client | undefined> {
    return orUndefined(getClient(this.db, id));
  }

  /** Revokes a client; returns it, or undefined when there is no such client. Revoking twice is harmless. */
  async revoke(id: string): Promise<Client | undefined> {
    try {
      return await orUndefined(revokeClient(this.db, this.clock, id));
    } finally {
      this.cache.clear();
    }
  }

  /** Drops cached lookups, so a revocation made through this process applies at once. */
  forget(): void {
    this.cache.clear();
  }

  /** Resolves a presented key to its principal, or null when it is unknown or revoked. */
  authenticate(key: string): Promise<Principal | null> {
    return verifyKey(this.db, key, this.cache);
  }
}

async function orUndefined<T>(found: Promise<T>): Promise<T | undefined> {
  try {
    return await found;
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
}
