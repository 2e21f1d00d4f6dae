/**
 * The reconciliation log: append-only and hash-chained. Each entry's hash covers its own content and
 * the previous entry's hash, so editing, deleting or reordering any entry breaks the chain from there on.
 * Appends happen inside the caller's transaction, so an entry exists exactly when its change does.
 */
import type { Transaction } from 'kysely';
import { sha256Hex } from '../lib/crypto.js';
import type { Db } from '../store/store.js';
import type { Database } from '../store/tables.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface LogEntryInput {
  kind: string;
  actor: string;
  dossierId?: string | null;
  transferId?: number | null;
  data: Record<string, unknown>;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of one entry given the hash before it. */
export function entryHash(
  prevHash: string,
  e: {
    id: number;
    at_ms: number;
    kind: string;
    actor: string;
    dossier_id: string | null;
    transfer_id: number | null;
    data: string;
  },
): string {
  return sha256Hex(
    `${prevHash}\n${canonical({ id: e.id, at: e.at_ms, kind: e.kind, actor: e.actor, dossier: e.dossier_id, transfer: e.transfer_id, data: e.data })}`,
  );
}

/** Appends one entry to the chain inside `trx`. */
export async function appendLog(
  trx: Transaction<Database>,
  entry: LogEntryInput,
  nowMs: number,
): Promise<void> {
  const last = await trx
    .selectFrom('reconciliation_log')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = {
    id: (last?.id ?? 0) + 1,
    at_ms: nowMs,
    kind: entry.kind,
    actor: entry.actor,
    dossier_id: entry.dossierId ?? null,
    transfer_id: entry.transferId ?? null,
    data: canonical(entry.data),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await trx
    .insertInto('reconciliation_log')
    .values({ ...row, prev_hash: prevHash, hash: entryHash(prevHash, row) })
    .execute();
}

export type VerifyResult =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/** Walks the whole chain in id order and names the first entry that does not verify. */
export async function verifyLog(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('reconciliation_log')
      .selectAll()
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { ok: true, entries: count };
    for (const row of rows) {
      if (row.id !== expectedId) {
        return { ok: false, entries: count, brokenAt: expectedId, reason: `entry ${expectedId} is missing` };
      }
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          entries: count,
          brokenAt: row.id,
          reason: 'prev_hash does not match the entry before',
        };
      }
      if (entryHash(prevHash, row) !== row.hash) {
        return { ok: false, entries: count, brokenAt: row.id, reason: 'content does not match its hash' };
      }
      prevHash = row.hash;
      expectedId += 1;
      count += 1;
    }
  }
}
