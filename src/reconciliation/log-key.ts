/**
 * The key of the reconciliation log, kept outside the database (docs/privacy.md). It signs the log's
 * checkpoints with HMAC-SHA-256, and a key derived from it makes short digests of values the log must
 * refer to without holding them: equal values give equal digests, but without the key nobody can test
 * a guess (an unkeyed hash of a 12-digit id number is reversed by trying every number).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { hmacSha256Hex } from '../lib/crypto.js';
import { canonical } from './hash.js';

export interface LogKey {
  /** Hex HMAC-SHA-256 of `message` under the key. */
  sign(message: string): string;
  /** `hmac:` and 16 hex digits: a keyed digest of a value (its canonical JSON). */
  digest(value: unknown): string;
}

/** What the digest key is derived for: never the same bytes as a checkpoint's MAC input. */
const DIGEST_LABEL = 'lienthong reconciliation log: value digests v1';

/** A LogKey over raw key bytes (at least 32). */
export function logKeyFrom(bytes: Uint8Array): LogKey {
  const key = Uint8Array.from(bytes);
  const digestKey = hmac(sha256, key, utf8ToBytes(DIGEST_LABEL));
  // Digests are taken in the unit of work of many changes (conflict references, SMS opt-outs): the
  // keyed hash is set up once, and Node's own HMAC is used where there is one (the same MAC).
  const digester = hmacSha256Hex(digestKey);
  return {
    sign: (message) => bytesToHex(hmac(sha256, key, utf8ToBytes(message))),
    digest: (value) => `hmac:${digester(canonical(value ?? null)).slice(0, 16)}`,
  };
}

/** Whether two hex MACs are equal, in a time that does not depend on where they differ. */
export function sameMac(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
