/**
 * Hashing and random tokens that run on Node and Workers alike. SHA-256 is the audited pure-JS one from
 * @noble/hashes: synchronous, and for the short inputs hashed here (log entries, keys, request bodies)
 * several times cheaper than an asynchronous Web Crypto digest, which is a thread-pool round trip.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256Hex(input: string): string {
  return bytesToHex(sha256(utf8ToBytes(input)));
}

/** URL-safe base64 of `bytes` cryptographically random bytes. */
export function randomToken(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  let bin = '';
  for (const b of buf) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new random identifier (UUID v4). */
export function newId(): string {
  return crypto.randomUUID();
}
