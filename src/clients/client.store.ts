/**
 * Client rows. `agencies` is a JSON array of agency ids, decoded (and checked) here; keys are never
 * stored, only their SHA-256 hash and first characters.
 */
import { z } from 'zod';
import type { Role } from '../../schemas/client.js';
import { prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { ClientRow } from '../store/tables.js';
import type { StoredClient } from './client.js';

const AgenciesColumn = z.array(z.string());

function decode(row: ClientRow): StoredClient {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    system: row.system,
    agencies: AgenciesColumn.parse(JSON.parse(row.agencies)),
    keyHash: row.key_hash,
    keyPrefix: row.key_prefix,
    createdAtMs: row.created_at_ms,
    revokedAtMs: row.revoked_at_ms,
  };
}

/** Inserts one client. */
export async function insertClient(db: Db, c: StoredClient): Promise<void> {
  await db
    .insertInto('clients')
    .values({
      id: c.id,
      name: c.name,
      role: c.role,
      system: c.system,
      agencies: JSON.stringify(c.agencies),
      key_hash: c.keyHash,
      key_prefix: c.keyPrefix,
      created_at_ms: c.createdAtMs,
      revoked_at_ms: c.revokedAtMs,
    })
    .execute();
}

/** The client `id`, revoked or not. */
export async function findClient(db: Db, id: string): Promise<StoredClient | undefined> {
  const row = await db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? decode(row) : undefined;
}

/** Every client, newest first. */
export async function findClients(db: Db): Promise<StoredClient[]> {
  const rows = await db.selectFrom('clients').selectAll().orderBy('created_at_ms', 'desc').execute();
  return rows.map(decode);
}

/** The active (not revoked) client whose key hashes to `keyHash`. */
export async function findActiveClientByKeyHash(db: Db, keyHash: string): Promise<StoredClient | undefined> {
  const row = await selectActiveByKeyHash.first(db, { keyHash });
  return row ? decode(row) : undefined;
}

// Asked for every request whose key is not in the short authentication cache: built once.
const selectActiveByKeyHash = prepared<{ keyHash: string }>()((db, p) =>
  db.selectFrom('clients').selectAll().where('key_hash', '=', p.keyHash).where('revoked_at_ms', 'is', null),
);

/** The oldest active department client of a source system (the one a polled system acts as). */
export async function findActiveSystemClient(db: Db, system: string): Promise<StoredClient | undefined> {
  const row = await db
    .selectFrom('clients')
    .selectAll()
    .where('role', '=', 'department')
    .where('system', '=', system)
    .where('revoked_at_ms', 'is', null)
    .orderBy('created_at_ms')
    .executeTakeFirst();
  return row ? decode(row) : undefined;
}

/** Marks the client revoked at `nowMs` unless it already is; returns how many rows changed (0 or 1). */
export async function markClientRevoked(db: Db, id: string, nowMs: number): Promise<number> {
  const result = await db
    .updateTable('clients')
    .set({ revoked_at_ms: nowMs })
    .where('id', '=', id)
    .where('revoked_at_ms', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
