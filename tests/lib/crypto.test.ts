import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { newId, sha256Hex } from '../../src/lib/crypto.js';

describe('identifiers', () => {
  it('are RFC 9562 UUIDs of version 7, each one different', () => {
    const ids = Array.from({ length: 1000 }, newId);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort in the order they were made, so new rows land at the end of id indexes', async () => {
    const first = newId();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = Array.from({ length: 50 }, newId);
    for (const id of later) expect(id > first).toBe(true);
  });

  it('made within one millisecond still sort in the order they were made (a counter, not chance)', () => {
    // 5,000 ids are made in a few milliseconds: most share their millisecond with the one before,
    // and more than the random pool's 256 draws are used, so a refill happens in between.
    const ids = Array.from({ length: 5_000 }, newId);
    for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
    expect(new Set(ids.map((id) => id.slice(24))).size).toBe(ids.length);
  });
});

describe('sha256Hex', () => {
  it('is the SHA-256 of the UTF-8 bytes, as the pure-JS hash gives it (Node or not)', () => {
    for (const text of [
      '',
      'lt_abc',
      'Nguyễn Văn An',
      'Nguye\u0302\u0303n',
      '𝒜'.repeat(40),
      'x'.repeat(1000),
    ])
      expect(sha256Hex(text)).toBe(bytesToHex(sha256(utf8ToBytes(text))));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
