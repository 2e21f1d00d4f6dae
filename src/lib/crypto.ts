/**
 * Hashing and random tokens that run on Node and Workers alike. SHA-256 is the audited pure-JS one from
 * @noble/hashes: synchronous, and for the short inputs hashed here (log entries, keys, request bodies)
 * several times cheaper than an asynchronous Web Crypto digest, which is a thread-pool round trip.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { v7 as uuidv7 } from 'uuid';

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

/**
 * A new identifier: a UUID version 7 (RFC 9562), random but ordered by creation time, so each new
 * dossier's id lands at the end of every index keyed by a dossier id instead of on a random page of it
 * (docs/benchmarks.md). Clients treat ids as opaque strings, as before.
 */
export function newId(): string {
  return uuidv7();
}
