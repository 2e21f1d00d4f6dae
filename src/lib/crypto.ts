/**
 * Hashing and random tokens that run on Node and Workers alike. SHA-256 is Node's own where the
 * runtime offers it synchronously (`process.getBuiltinModule`), else the audited pure-JS one from
 * @noble/hashes: synchronous, and for the short inputs hashed here (log entries, keys, request bodies)
 * several times cheaper than an asynchronous Web Crypto digest, which is a thread-pool round trip.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { v7 as uuidv7 } from 'uuid';

/** Node's own hash, when the runtime has it: the same digest, a few times faster than the pure-JS one. */
type NodeHash = { update(data: string, encoding: 'utf8'): NodeHash; digest(encoding: 'hex'): string };
interface NodeCrypto {
  createHash(algorithm: string): NodeHash;
  createHmac(algorithm: string, key: Uint8Array): NodeHash;
}
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => NodeCrypto | undefined } }
).process?.getBuiltinModule?.('node:crypto');

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256Hex(input: string): string {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(input, 'utf8').digest('hex');
  return bytesToHex(sha256(utf8ToBytes(input)));
}

/**
 * Hex HMAC-SHA-256 under one fixed key, for many messages: Node's own where the runtime has it, else the
 * pure-JS one with the keyed hash states set up once and cloned per message. The same MAC either way.
 */
export function hmacSha256Hex(key: Uint8Array): (message: string) => string {
  const node = nodeCrypto;
  if (node) return (message) => node.createHmac('sha256', key).update(message, 'utf8').digest('hex');
  const keyed = hmac.create(sha256, key);
  return (message) => bytesToHex(keyed.clone().update(utf8ToBytes(message)).digest());
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
  const random = randomBytes16();
  const now = Date.now();
  // The library's own monotonic rule (RFC 9562, method 1): a new millisecond starts a random counter,
  // the same millisecond counts on, a counter overflow borrows the next millisecond.
  if (now > v7State.msecs) {
    const at = (i: number) => random[i] as number;
    v7State.seq = ((at(6) & 0x7f) << 24) | (at(7) << 16) | (at(8) << 8) | at(9);
    v7State.msecs = now;
  } else {
    v7State.seq = (v7State.seq + 1) | 0;
    if (v7State.seq === 0) v7State.msecs++;
  }
  return uuidv7({ random, msecs: v7State.msecs, seq: v7State.seq });
}

const v7State = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/**
 * Random bytes for ids, drawn from a pool refilled 4 KiB at a time: one `getRandomValues` call per id
 * cost more than the rest of making it (docs/benchmarks.md). Each byte is used once.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

function randomBytes16(): Uint8Array {
  if (poolAt + 16 > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  poolAt += 16;
  return pool.subarray(poolAt - 16, poolAt);
}
