/** Verifying a presented API key: which principal it belongs to, or none (unknown or revoked). */
import { sha256Hex } from '../lib/crypto.js';
import type { Db } from '../store/store.js';
import type { AuthCache } from './auth-cache.js';
import { KEY_PREFIX, type Principal, toPrincipal } from './client.js';
import { findActiveClientByKeyHash } from './client.store.js';

/** Resolves a presented key to its principal, or null when it is unknown or revoked. */
export async function verifyKey(db: Db, key: string, cache?: AuthCache): Promise<Principal | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const hash = sha256Hex(key);
  const now = Date.now(); // wall time on purpose: the cache bounds real propagation delay
  const cached = cache?.get(hash, now);
  if (cached) return cached.principal;
  const client = await findActiveClientByKeyHash(db, hash);
  const principal = client ? toPrincipal(client) : null;
  cache?.set(hash, principal, now);
  return principal;
}
