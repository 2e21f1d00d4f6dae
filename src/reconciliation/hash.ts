/**
 * The hash chain of the reconciliation log: each entry's hash covers its own content (canonical JSON,
 * keys sorted) and the previous entry's hash, so editing, deleting or reordering any entry breaks the
 * chain from there on.
 */
import { sha256Hex } from '../lib/crypto.js';
import type { HashedFields } from './log.store.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted and undefined members left out: one text per value. */
export function canonical(value: unknown): string {
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
export function entryHash(prevHash: string, e: HashedFields): string {
  return sha256Hex(
    `${prevHash}\n${canonical({ id: e.id, at: e.at_ms, kind: e.kind, actor: e.actor, dossier: e.dossier_id, transfer: e.transfer_id, data: e.data })}`,
  );
}
