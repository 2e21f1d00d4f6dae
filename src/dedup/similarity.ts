/**
 * Vietnamese-aware string comparison for deduplication. Two clerks typing the same name or address
 * differ in Unicode form (NFC/NFD), case, diacritics (including đ/Đ), spacing, abbreviations and
 * name order (family name first or last); these functions see through all of that.
 */

/** Folds a string to its comparable core: NFD, no combining marks, đ→d, lower case, single spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Name tokens in folded form. */
export function nameTokens(name: string): string[] {
  return fold(name).split(' ').filter(Boolean);
}

/** An order-free key of a name (blocking key for records without an identifier). */
export function nameKey(name: string): string {
  return [...nameTokens(name)].sort().join(' ');
}

/** Jaro-Winkler similarity of two strings, 0…1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatch = new Array<boolean>(a.length).fill(false);
  const bMatch = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(i + range + 1, b.length);
    for (let j = lo; j < hi; j++) {
      if (!bMatch[j] && a[i] === b[j]) {
        aMatch[i] = true;
        bMatch[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatch[i]) continue;
    while (!bMatch[k]) k++;
    if (a[i] !== b[k]) t++;
    k++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Symmetric Monge-Elkan: each token's best match on the other side, averaged both ways. */
function tokenSetSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const oneWay = (x: string[], y: string[]) =>
    x.reduce((sum, t) => sum + Math.max(...y.map((u) => jaroWinkler(t, u))), 0) / x.length;
  return Math.min(oneWay(a, b), oneWay(b, a));
}

/** Name similarity, insensitive to order, case, diacritics, spacing and Unicode form. */
export function nameSimilarity(a: string, b: string): number {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  if ([...ta].sort().join(' ') === [...tb].sort().join(' ')) return 1;
  return tokenSetSimilarity(ta, tb);
}

const ADDRESS_ABBREVIATIONS: [RegExp, string][] = [
  [/\bd\b/g, 'duong'],
  [/\bp\b/g, 'phuong'],
  [/\bx\b/g, 'xa'],
  [/\btt\b/g, 'thi tran'],
  [/\bq\b/g, 'quan'],
  [/\bh\b/g, 'huyen'],
  [/\btp\b/g, 'thanh pho'],
  [/\bso nha\b/g, 'so'],
  [/\bkp\b/g, 'khu pho'],
];

/** Folded address-line tokens with common abbreviations expanded. */
export function addressTokens(line: string): string[] {
  let f = fold(line);
  for (const [re, full] of ADDRESS_ABBREVIATIONS) f = f.replace(re, full);
  return f.split(' ').filter(Boolean);
}

/** Similarity of two street lines, 0…1. */
export function addressLineSimilarity(a: string, b: string): number {
  const ta = addressTokens(a);
  const tb = addressTokens(b);
  if (ta.join(' ') === tb.join(' ')) return 1;
  return tokenSetSimilarity(ta, tb);
}
