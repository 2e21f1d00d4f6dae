/**
 * Vietnamese-aware string comparison for deduplication. Two clerks typing the same name or address
 * differ in Unicode form (NFC/NFD), case, diacritics (including đ/Đ), spacing, abbreviations and
 * name order (family name first or last); these functions see through all of that. Names are compared
 * by how many letters apart they are as typed (docs/dedup.md), so a mistyped letter is told from another
 * given name; applicant identifiers by how they relate (the same, a typo apart, of another kind).
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

/**
 * The orders in which clerks write one name: as written (family name first), the given name moved to
 * the front, the family name moved to the end, and reversed.
 */
function nameOrders<T>(words: T[]): T[][] {
  const n = words.length;
  if (n < 2) return [words];
  return [
    words,
    [words[n - 1] as T, ...words.slice(0, n - 1)],
    [...words.slice(1), words[0] as T],
    [...words].reverse(),
  ];
}

/** Vietnamese tone marks (NFD), numbered 1…5; 0 is no tone. */
const TONES = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
/** The marks that shape a vowel (NFD: â ê ô, ă, ơ ư), numbered 1…3; 0 is none. */
const SHAPES = ['\u0302', '\u0306', '\u031b'];

/**
 * A typed letter as one number — its base letter (folded, đ as d) << 6 | its vowel shape << 3 | its
 * tone — so that comparing two letters is arithmetic. The encoding of each character is computed once.
 */
const letterCodes = new Map<string, number>();

function letterCode(c: string): number {
  let code = letterCodes.get(c);
  if (code === undefined) {
    const marks = c.normalize('NFD').slice(1);
    const shape = SHAPES.findIndex((m) => marks.includes(m)) + 1;
    const tone = TONES.findIndex((m) => marks.includes(m)) + 1;
    code = (((fold(c) || c).codePointAt(0) ?? 0) << 6) | (shape << 3) | tone;
    if (letterCodes.size < 4096) letterCodes.set(c, code); // names use few characters: a bounded cache
  }
  return code;
}

const SPACE = 32 << 6;
const PAIRED_VOWELS = new Set(['oa', 'oe', 'uy']);

/**
 * A word's letters. Without `marks` only the base letters count. With `oneToneSpelling`, the two
 * spellings of a tone in an open syllable ending in oa, oe or uy ("Hoà" and "Hòa", "Thuỷ" and "Thủy")
 * are one: the tone is put on the first of the two vowels.
 */
function wordLetters(word: string, marks: boolean, oneToneSpelling: boolean): number[] {
  const letters = [...word].map((c) => (marks ? letterCode(c) : letterCode(c) & ~63));
  const n = letters.length;
  const last = letters[n - 1] ?? 0;
  const before = letters[n - 2] ?? 0;
  if (
    oneToneSpelling &&
    (last & 7) !== 0 &&
    PAIRED_VOWELS.has(String.fromCodePoint(before >> 6, last >> 6))
  ) {
    letters[n - 2] = (before & ~7) | (last & 7);
    letters[n - 1] = last & ~7;
  }
  return letters;
}

/** A name as typed: its words' letters, a space between words. */
function typedName(words: number[][]): number[] {
  const out: number[] = [];
  for (const word of words) {
    if (out.length > 0) out.push(SPACE);
    for (const letter of word) out.push(letter);
  }
  return out;
}

/**
 * In quarter letters: the cost of typing `x` where `y` was meant. Another letter: 4. A vowel shape or a
 * tone: 2 when both letters carry one and they differ, 1 when one letter lacks it (a clerk who left a
 * mark out, as in "NGUYEN" within "BÌNH NGUYEN VAN", is nearer than one who typed another).
 */
function substitution(x: number, y: number): number {
  if (x === y) return 0;
  if (x >> 6 !== y >> 6) return 4;
  const mark = (m: number, n: number) => (m === n ? 0 : m === 0 || n === 0 ? 1 : 2);
  return mark((x >> 3) & 7, (y >> 3) & 7) + mark(x & 7, y & 7);
}

/**
 * Typing edits between two names, in quarter letters (Damerau-Levenshtein with the costs above; a
 * letter in or out, or two neighbouring letters swapped: 4).
 */
function typingEdits(a: number[], b: number[]): number {
  const width = b.length + 1;
  let before = new Int32Array(width);
  let prev = new Int32Array(width);
  let row = new Int32Array(width);
  for (let j = 0; j < width; j++) prev[j] = 4 * j;
  for (let i = 1; i <= a.length; i++) {
    const x = a[i - 1] as number;
    row[0] = 4 * i;
    for (let j = 1; j < width; j++) {
      const y = b[j - 1] as number;
      let best = (prev[j - 1] as number) + substitution(x, y);
      const del = (prev[j] as number) + 4;
      const ins = (row[j - 1] as number) + 4;
      if (del < best) best = del;
      if (ins < best) best = ins;
      if (
        x !== y &&
        i > 1 &&
        j > 1 &&
        x === b[j - 2] &&
        a[i - 2] === y &&
        (before[j - 2] as number) + 4 < best
      )
        best = (before[j - 2] as number) + 4;
      row[j] = best;
    }
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length] as number;
}

/** How much one letter apart lowers the name similarity (a vowel shape or a tone: a half or a quarter of it). */
export const NAME_EDIT_STEP = 0.05;

/**
 * How many letters apart two names are as typed, in the order that brings them closest (as written,
 * given name first, family name last, reversed; or any order when they have the same words), a space
 * counting as a letter and two neighbouring letters swapped as one. When both names are written with
 * diacritics, a vowel shape or a tone counts too: ½ when the two letters carry different ones, ¼ when
 * one letter lacks it; a name typed without any differs in nothing but that. đ and d are one letter.
 */
export function nameEdits(a: string, b: string): number {
  return editsBetween(nameWords(a), nameWords(b));
}

function editsBetween(wordsA: string[], wordsB: string[]): number {
  if (wordsA.join(' ') === wordsB.join(' ')) return 0;
  const accented = (words: string[]) => words.some((w) => /\p{M}/u.test(w.normalize('NFD')));
  const marks = accented(wordsA) && accented(wordsB);
  let best = Number.POSITIVE_INFINITY;
  let previous = '';
  // as typed, and with the tone of oa/oe/uy spelled one way (a typo can turn "Toàn" into "Toà")
  for (const oneToneSpelling of marks ? [false, true] : [false]) {
    const wa = wordsA.map((w) => wordLetters(w, marks, oneToneSpelling));
    const wb = wordsB.map((w) => wordLetters(w, marks, oneToneSpelling));
    const spelled = `${wa.join(' ')}|${wb.join(' ')}`;
    if (spelled === previous) continue;
    previous = spelled;
    const [sortedA, sortedB] = [byBase(wa), byBase(wb)];
    // the same words in another order: side by side in one order, only their marks can differ
    const sameWords = baseKey(sortedA) === baseKey(sortedB);
    const pairs = sameWords ? [[sortedA, sortedB]] : nameOrders(wa).map((order) => [order, wb]);
    for (const [x, y] of pairs) best = Math.min(best, typingEdits(typedName(x ?? []), typedName(y ?? [])));
  }
  return best / 4;
}

/** A name's words, NFC, lower case. */
function nameWords(name: string): string[] {
  return name
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);
}

const wordKey = (word: number[]) => String.fromCodePoint(...word.map((c) => c >> 6));
const baseKey = (words: number[][]) => words.map(wordKey).join(' ');

/** Words in the order of their base letters (and of their marks, between words of the same letters). */
function byBase(words: number[][]): number[][] {
  const marksKey = (word: number[]) => word.map((c) => c & 63).join(',');
  return [...words].sort(
    (x, y) => wordKey(x).localeCompare(wordKey(y)) || marksKey(x).localeCompare(marksKey(y)),
  );
}

/**
 * Name similarity, 0…1: 1 less {@link NAME_EDIT_STEP} per letter the two names are apart
 * ({@link nameEdits}), so it does not depend on the names' length: one mistyped letter gives 0.95, two
 * different given names (Loan and Long, Lâm and Lan) 0.9 or less. Insensitive to case, đ/Đ, spacing,
 * Unicode form, the order of the words, and to diacritics when one side has none.
 */
export function nameSimilarity(a: string, b: string): number {
  const wordsA = nameWords(a);
  const wordsB = nameWords(b);
  if (wordsA.length === 0 || wordsB.length === 0) return 0;
  return Math.max(0, Math.round((1 - NAME_EDIT_STEP * editsBetween(wordsA, wordsB)) * 1000) / 1000);
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

/**
 * How two applicant identifiers (normal forms, with their kinds) relate (docs/dedup.md):
 * - `same`: equal;
 * - `missing`: one side (or both) has none;
 * - `other_kind`: the kinds differ, so the numbers cannot be compared (the old 9-digit CMND on one
 *   side, the 12-digit CCCD on the other);
 * - `typo`: the same kind and length, at most two digits apart (two adjacent digits swapped, one or two
 *   digits changed);
 * - `different`: anything else: two valid, clearly different numbers, two people.
 */
export type IdRelation = 'same' | 'missing' | 'other_kind' | 'typo' | 'different';

interface Id {
  number: string | undefined;
  kind: string | undefined;
}

export function idRelation(a: Id, b: Id): IdRelation {
  if (a.number === undefined || b.number === undefined) return 'missing';
  if (a.number === b.number) return 'same';
  if (a.kind !== b.kind) return 'other_kind';
  return a.number.length === b.number.length && differingPositions(a.number, b.number).length <= 2
    ? 'typo'
    : 'different';
}

/** The positions at which two strings of the same length differ. */
function differingPositions(a: string, b: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

/** The typo between two identifiers of relation `typo`, in words (for a candidate's reasons). */
export function describeTypo(a: string, b: string): string {
  const [i, j] = differingPositions(a, b);
  if (j === undefined) return 'one digit differs';
  return j === (i ?? -2) + 1 && a[i ?? 0] === b[j] && a[j] === b[i ?? 0]
    ? 'two adjacent digits swapped'
    : 'two digits differ';
}
