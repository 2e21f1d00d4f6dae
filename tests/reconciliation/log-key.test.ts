import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { canonical } from '../../src/reconciliation/hash.js';
import { logKeyFrom } from '../../src/reconciliation/log-key.js';

describe('the log key digests', () => {
  const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 3);
  /** The digest written out from its definition (docs/privacy.md): HMAC under the derived key. */
  const expected = (value: unknown) => {
    const digestKey = hmac(sha256, bytes, utf8ToBytes('lienthong reconciliation log: value digests v1'));
    return `hmac:${bytesToHex(hmac(sha256, digestKey, utf8ToBytes(canonical(value)))).slice(0, 16)}`;
  };

  it('are the HMAC of the canonical value, the same however many are taken, in any order', () => {
    const key = logKeyFrom(bytes);
    const values = [
      { smsOptOut: '+84912345678' },
      'x',
      { b: 1, a: [2, 3] },
      null,
      { smsOptOut: '+84912345678' },
    ];
    for (const v of [...values, ...values.reverse()]) expect(key.digest(v)).toBe(expected(v));
    expect(key.digest({ smsOptOut: '+84912345678' })).not.toBe(key.digest({ smsOptOut: '+84912345679' }));
  });
});
