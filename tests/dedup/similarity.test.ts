import { describe, expect, it } from 'vitest';
import { addressLineSimilarity, fold, nameKey, nameSimilarity } from '../../src/dedup/similarity.js';

describe('Vietnamese-aware name comparison', () => {
  const same: [string, string][] = [
    ['Nguyễn Văn An', 'Nguyen Van An'],
    ['Nguyễn Văn An', 'NGUYỄN VĂN AN'],
    ['Nguyễn Văn An', '  Nguyễn   Văn  An '],
    ['Nguyễn Văn An', 'An Nguyễn Văn'],
    ['Nguyễn Văn An', 'Nguyễn Văn An'.normalize('NFD')],
    ['Đặng Thị Đào', 'Dang Thi Dao'],
    ['Đặng Thị Đào', 'đặng thị đào'],
  ];
  for (const [a, b] of same) {
    it(`treats "${a}" and "${b}" as the same name`, () => {
      expect(nameSimilarity(a, b)).toBe(1);
      expect(nameKey(a)).toBe(nameKey(b));
    });
  }

  it('scores a one-letter typo high but below identical', () => {
    const s = nameSimilarity('Nguyễn Văn Anh', 'Nguyễn Văn Ank');
    expect(s).toBeGreaterThan(0.85);
    expect(s).toBeLessThan(1);
  });

  it('scores different people low', () => {
    expect(nameSimilarity('Nguyễn Văn An', 'Trần Thị Bình')).toBeLessThan(0.6);
    expect(nameSimilarity('Nguyễn Văn An', 'Nguyễn Văn Bình')).toBeLessThan(0.9);
  });

  it('folds NFC and NFD to the same text', () => {
    expect(fold('Lý Thái Tổ'.normalize('NFD'))).toBe(fold('Lý Thái Tổ'.normalize('NFC')));
  });
});

describe('address comparison', () => {
  it('sees through abbreviations, diacritics and case', () => {
    expect(addressLineSimilarity('Số 12 đường Lý Thái Tổ', 'so 12 Đ. Ly Thai To')).toBeGreaterThan(0.9);
  });
  it('scores different streets lower', () => {
    expect(addressLineSimilarity('Số 12 đường Lý Thái Tổ', 'Thôn Đông, xã Yên Phong')).toBeLessThan(0.7);
  });
});
