/**
 * Appending to the reconciliation log. Appends happen inside the caller's transaction, so an entry
 * exists exactly when its change does.
 */
import type { Trx } from '../store/store.js';
import { canonical, entryHash, GENESIS_HASH } from './hash.js';
import { findLastLogEntry, insertLogEntry } from './log.store.js';

export interface LogEntryInput {
  kind: string;
  actor: string;
  dossierId?: string | null;
  transferId?: number | null;
  data: Record<string, unknown>;
}

/** Appends one entry to the chain inside `trx`. */
export async function appendLog(trx: Trx, entry: LogEntryInput, nowMs: number): Promise<void> {
  const last = await findLastLogEntry(trx);
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
  await insertLogEntry(trx, { ...row, prev_hash: prevHash, hash: entryHash(prevHash, row) });
}
