/** What the log says about a field conflict: paths and keyed digests for personal fields, values for the rest. */
import { describe, expect, it } from 'vitest';
import { differingPaths } from '../../src/reconciliation/conflict-refs.js';
import { conflictRefs, logKeyFrom } from '../../src/reconciliation/log.js';

const key = logKeyFrom(new Uint8Array(32).fill(1));
const kept = {
  fullName: 'Nguyễn Văn An',
  idNumber: '027090001234',
  address: { line: 'Số 1', communeCode: '09187' },
};
const other = {
  fullName: 'NGUYEN VAN AN',
  idNumber: '027090001234',
  address: { line: 'So 1', communeCode: '09187' },
};
const conflict = { field: 'applicant', kept, keptSystem: 'motcua', other, otherSystem: 'xaydung' };

describe('conflict references', () => {
  it('names the differing paths, inside objects and arrays', () => {
    expect(differingPaths(kept, other, 'applicant')).toEqual([
      'applicant.address.line',
      'applicant.fullName',
    ]);
    expect(differingPaths([{ n: 1 }], [{ n: 2 }, { n: 3 }], 'fees')).toEqual(['fees[0].n', 'fees[1]']);
    expect(differingPaths('a', 'a', 'summary')).toEqual([]);
  });

  it('digests personal values with the key: equal values give equal digests, another key another', () => {
    const [ref] = conflictRefs([conflict], key);
    expect(ref).toEqual({
      field: 'applicant',
      keptSystem: 'motcua',
      otherSystem: 'xaydung',
      paths: ['applicant.address.line', 'applicant.fullName'],
      kept: key.digest(kept),
      other: key.digest(other),
    });
    expect(key.digest({ ...kept })).toBe(ref?.kept);
    expect(logKeyFrom(new Uint8Array(32).fill(2)).digest(kept)).not.toBe(ref?.kept);
  });

  it('without a key keeps only the paths', () => {
    expect(conflictRefs([conflict], undefined)).toEqual([
      {
        field: 'applicant',
        keptSystem: 'motcua',
        otherSystem: 'xaydung',
        paths: ['applicant.address.line', 'applicant.fullName'],
      },
    ]);
  });

  it('keeps the values of fields about the procedure', () => {
    const status = {
      field: 'status',
      kept: 'processing',
      keptSystem: null,
      other: 'received',
      otherSystem: 'x',
    };
    expect(conflictRefs([status], key)).toEqual([status]);
  });
});
