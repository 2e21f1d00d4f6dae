/** Creating an API client: a random key, shown once and stored only as its SHA-256 hash. */
import type { Client, ClientInput } from '../../schemas/client.js';
import { newId, randomToken, sha256Hex } from '../lib/crypto.js';
import type { Clock } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { KEY_PREFIX, type StoredClient, toClient } from './client.js';
import { insertClient } from './client.store.js';

/** Creates a client and returns it with its key (the only time the key is visible). */
export async function createClient(
  db: Db,
  clock: Clock,
  input: ClientInput,
): Promise<Client & { key: string }> {
  // 256 bits of entropy, so a fast hash is enough to store it.
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  const client: StoredClient = {
    id: newId(),
    name: input.name.normalize('NFC'),
    role: input.role,
    system: input.system ?? null,
    agencies: input.agencies,
    keyHash: sha256Hex(key),
    keyPrefix: key.slice(0, 10),
    createdAtMs: clock.now(),
    revokedAtMs: null,
  };
  await insertClient(db, client);
  return { ...toClient(client), key };
}
