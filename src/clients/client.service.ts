/**
 * API clients: keys are random, shown once, stored only as SHA-256 hashes (they carry 256 bits of
 * entropy, so a fast hash is enough), and revocable. Lookups go to the store with a short cache so a
 * key added or revoked by the CLI on the same database takes effect on a running gateway within a second.
 */
import type { Client, ClientInput, Role } from '../../schemas/client.js';
import { newId, randomToken, sha256Hex } from '../lib/crypto.js';
import { type Clock, toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import type { ClientRow } from '../store/tables.js';

export const KEY_PREFIX = 'lt_';
const CACHE_TTL_MS = 500;

/** The authenticated caller, as handlers see it. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
  system: string | null;
  agencies: readonly string[];
}

function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    system: row.system,
    agencies: JSON.parse(row.agencies) as string[],
    keyPrefix: row.key_prefix,
    createdAt: toVnIso(row.created_at_ms),
    revokedAt: row.revoked_at_ms === null ? null : toVnIso(row.revoked_at_ms),
  };
}

export class ClientService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Creates a client and returns it with its key (the only time the key is visible). */
  async add(input: ClientInput): Promise<Client & { key: string }> {
    const key = `${KEY_PREFIX}${randomToken(32)}`;
    const id = newId();
    const now = this.clock.now();
    await this.db
      .insertInto('clients')
      .values({
        id,
        name: input.name,
        role: input.role,
        system: input.system ?? null,
        agencies: JSON.stringify(input.agencies),
        key_hash: sha256Hex(key),
        key_prefix: key.slice(0, 10),
        created_at_ms: now,
        revoked_at_ms: null,
      })
      .execute();
    const row = await this.db
      .selectFrom('clients')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { ...toClient(row), key };
  }

  /** Every client, newest first, without keys. */
  async list(): Promise<Client[]> {
    const rows = await this.db.selectFrom('clients').selectAll().orderBy('created_at_ms', 'desc').execute();
    return rows.map(toClient);
  }

  async get(id: string): Promise<Client | undefined> {
    const row = await this.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toClient(row) : undefined;
  }

  /** Revokes a client; returns it, or undefined when there is no such client. Revoking twice is harmless. */
  async revoke(id: string): Promise<Client | undefined> {
    await this.db
      .updateTable('clients')
      .set({ revoked_at_ms: this.clock.now() })
      .where('id', '=', id)
      .where('revoked_at_ms', 'is', null)
      .execute();
    this.cache.clear();
    return this.get(id);
  }

  /** Drops cached lookups, so a revocation made through this process applies at once. */
  forget(): void {
    this.cache.clear();
  }

  /** Resolves a presented key to its principal, or null when it is unknown or revoked. */
  async authenticate(key: string): Promise<Principal | null> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
    const hash = sha256Hex(key);
    const now = Date.now(); // wall time on purpose: the cache bounds real propagation delay
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const row = await this.db
      .selectFrom('clients')
      .selectAll()
      .where('key_hash', '=', hash)
      .where('revoked_at_ms', 'is', null)
      .executeTakeFirst();
    const principal: Principal | null = row
      ? {
          id: row.id,
          name: row.name,
          role: row.role as Role,
          system: row.system,
          agencies: JSON.parse(row.agencies) as string[],
        }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: now + CACHE_TTL_MS });
    return principal;
  }
}
