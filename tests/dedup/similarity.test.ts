import { describe, expect, it } from 'vitest';
import {
  addressLineSimilarity,
  fold,
  nameEdits,
  nameKey,
  nameSimilarity,
} from '../../src/dedup/similarity.js';

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

  it('counts letters apart, whatever the length of the name: one mistyped letter gives 0.95', () => {
    const typos: [string, string][] = [
      ['Đặng Minh Vy', 'Đặng Minh Cy'], // a neighbouring key, in a two-letter given name
      ['Nguyễn Mạnh Phúc', 'Nguyễn Msnh Phúc'], // the toned vowel itself mistyped
      ['Lê Quốc Toàn', 'Lê Quốc Toà'], // a letter left out
      ['Bùi Quốc Hiếu', 'Hieu Bui Quco'], // two letters swapped, no diacritics, given name first
      ['Nguyễn Thị Phương Thảo', 'Nguyễn Thị Phương Thảp'],
    ];
    for (const [a, b] of typos)
      expect([a, b, nameEdits(a, b), nameSimilarity(a, b)]).toEqual([a, b, 1, 0.95]);
  });

  it('tells apart given names that differ by more than a typo (a letter and a mark, or two letters)', () => {
    const people: [string, string, number][] = [
      ['Nguyễn Minh Lâm', 'Nguyễn Minh Lan', 0.938],
      ['Nguyễn Minh Cường', 'Nguyễn Minh Hương', 0.938],
      ['Nguyễn Văn Hà', 'Nguyễn Văn Hải', 0.925],
      ['Nguyễn Thanh Loan', 'Nguyễn Thanh Long', 0.9],
      ['Nguyễn Thanh Cường', 'Nguyễn Phương Hạnh', 0.6], // every word looks like some word of the other
      ['Phạm Văn Dũng', 'Hoàng Thị Mai', 0.587],
    ];
    for (const [a, b, sim] of people) expect([a, b, nameSimilarity(a, b)]).toEqual([a, b, sim]);
  });

  it('treats the two spellings of a tone in oa, oe, uy as one, and a mark left out as a quarter letter', () => {
    expect(nameSimilarity('Nguyễn Thị Hoà', 'Nguyễn Thị Hòa')).toBe(1);
    expect(nameSimilarity('Lê Thị Thuỷ', 'Lê Thị Thủy')).toBe(1);
    expect(nameEdits('Nguyễn Văn Dũng', 'Nguyễn Văn Dung')).toBe(0.25);
    // a clerk who typed the diacritics of one word only: nguyen (2 marks) and van (1) left out
    expect(nameEdits('Nguyễn Văn Bình', 'BÌNH NGUYEN VAN')).toBe(0.75);
    expect(nameSimilarity('Phạm Thanh Thành', 'Thành Phạm Thanh')).toBe(1);
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
