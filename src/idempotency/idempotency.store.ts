/**
 * Idempotency-Key rows: one per (client, key), reserved while the first request runs and holding its
 * answer once it is done. `response_body` is the exact text of that answer (a replay must be
 * byte-identical), so it is kept as text and never decoded here.
 */
import type { Db } from '../store/store.js';

/** A stored key as the use cases see it. */
export interface StoredKey {
  clientId: string;
  key: string;
  requestHash: string;
  state: 'in_progress' | 'completed';
  responseStatus: number | null;
  responseBody: string | null;
  createdAtMs: number;
  lockedUntilMs: number;
  /** The boot (process) whose request holds the key; null for keys reserved before boots existed. */
  ownerBoot: string | null;
}

/** Deletes every key created before `cutoffMs`. */
export async function deleteKeysCreatedBefore(db: Db, cutoffMs: number): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at_ms', '<', cutoffMs).execute();
}

/** The key `key` of client `clientId`, if there is one. */
export async function findKey(db: Db, clientId: string, key: string): Promise<StoredKey | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    clientId: row.client_id,
    key: row.key,
    requestHash: row.request_hash,
    state: row.state,
    responseStatus: row.response_status,
    responseBody: row.response_body,
    createdAtMs: row.created_at_ms,
    lockedUntilMs: row.locked_until_ms,
    ownerBoot: row.owner_boot,
  };
}

/** Reserves a key for a new request, replacing whatever row (an expired one) held it before. */
export async function upsertReservedKey(
  db: Db,
  k: {
    clientId: string;
    key: string;
    requestHash: string;
    nowMs: number;
    lockedUntilMs: number;
    ownerBoot?: string | undefined;
  },
): Promise<void> {
  const reserved = {
    request_hash: k.requestHash,
    state: 'in_progress' as const,
    response_status: null,
    response_body: null,
    created_at_ms: k.nowMs,
    locked_until_ms: k.lockedUntilMs,
    owner_boot: k.ownerBoot ?? null,
  };
  await db
    .insertInto('idempotency_keys')
    .values({ client_id: k.clientId, key: k.key, ...reserved })
    .onConflict((oc) => oc.columns(['client_id', 'key']).doUpdateSet(reserved))
    .execute();
}

/** Moves the lock of a key forward and to its new owner (a retry takes over a key whose request died). */
export async function extendKeyLock(
  db: Db,
  clientId: string,
  key: string,
  lockedUntilMs: number,
  ownerBoot?: string,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ locked_until_ms: lockedUntilMs, owner_boot: ownerBoot ?? null })
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .execute();
}

/** Stores the answer of a key's request and marks the key completed. */
export async function completeKey(
  db: Db,
  clientId: string,
  key: string,
  status: number,
  body: string,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'completed', response_status: status, response_body: body })
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .execute();
}

/** Deletes a key that is still in progress (a completed one is kept). */
export async function deleteInProgressKey(db: Db, clientId: string, key: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .where('state', '=', 'in_progress')
    .execute();
}
