import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DossierInput, DossierInputSchema } from '../../schemas/dossier.js';
import { checkCccd, checkCmnd, checkMst, checkPhone } from '../../schemas/identifiers.js';
import {
  type DossierPushBody,
  DUAL_ENTRY_VARIANTS,
  type GeneratedPair,
  generatePairs,
  generateSingles,
  loadProvinces,
  NEAR_MISS_VARIANTS,
} from '../../scripts/dedup/generate.js';

const AGENCIES = ['000.00.15.H24', '000.00.16.H24'];
const DAY_MS = 86_400_000;
const WINDOW_MS = 3 * DAY_MS;

function parse(body: DossierPushBody): DossierInput {
  const result = DossierInputSchema.safeParse(body);
  if (!result.success) throw new Error(`invalid body: ${JSON.stringify(result.error.issues)}`);
  return result.data;
}

interface Parsed {
  pair: GeneratedPair;
  a: DossierInput;
  b: DossierInput;
}

/** Collects broken expectations as messages, so 10,000 pairs cost one assertion each test. */
function violations(items: Parsed[], rules: (p: Parsed) => Record<string, boolean>): string[] {
  const out: string[] = [];
  for (const p of items) {
    for (const [rule, holds] of Object.entries(rules(p))) {
      if (!holds) out.push(`${p.pair.id} (${p.pair.variant}): ${rule}`);
    }
  }
  return out.slice(0, 20);
}

const strip = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
const gap = (p: Parsed) => Date.parse(p.b.receivedAt) - Date.parse(p.a.receivedAt);
/** The dual-entry variants whose two sides carry different identifiers (or one none). */
const DISAGREEING_IDS = ['missing_id', 'next_day_missing_id', 'cmnd_cccd', 'id_typo_swap', 'id_typo_digit'];
/** Folded, lower case, single spaces: what a misspelling must change. */
const folded = (s: string) => strip(s).toLowerCase().replace(/\s+/g, ' ').trim();
/** The receipt day (Vietnam time) of a generated body, as a day number. */
const vnDay = (iso: string) => Math.floor((Date.parse(iso) + 7 * 3_600_000) / DAY_MS);
/** The positions where two strings of the same length differ. */
const diffs = (x: string, y: string) => [...x].flatMap((c, i) => (c === y[i] ? [] : [i]));

describe('dedup pair generator (10,000 pairs)', () => {
  let pairs: GeneratedPair[] = [];
  let parsed: Parsed[] = [];

  beforeAll(() => {
    pairs = generatePairs({ count: 10_000, seed: 20261128, agencies: AGENCIES });
    // parse() throws on the first body DossierInputSchema rejects
    parsed = pairs.map((pair) => ({ pair, a: parse(pair.a), b: parse(pair.b) }));
  });

  it('makes exactly the number of pairs asked, with unique ids and record ids', () => {
    expect(pairs).toHaveLength(10_000);
    expect(new Set(pairs.map((p) => p.id)).size).toBe(10_000);
    const records = new Set(
      pairs.flatMap(({ a, b }) => [
        `${a.source.system}/${a.source.recordId}`,
        `${b.source.system}/${b.source.recordId}`,
      ]),
    );
    expect(records.size).toBe(20_000);
    expect(pairs.filter(({ a, b }) => a.source.recordId === b.source.recordId)).toEqual([]);
  });

  it('keeps the kinds at the asked ratio and uses every variant', () => {
    const near = pairs.filter((p) => p.kind === 'near_miss');
    expect(near.length / pairs.length).toBeCloseTo(0.3, 2);
    const dualVariants = new Set(pairs.filter((p) => p.kind === 'dual_entry').map((p) => p.variant));
    const nearVariants = new Set(near.map((p) => p.variant));
    expect([...dualVariants].sort()).toEqual([...DUAL_ENTRY_VARIANTS].sort());
    expect([...nearVariants].sort()).toEqual([...NEAR_MISS_VARIANTS].sort());
  });

  it('only generates valid identifiers and phones, catalogue communes and the given agencies', () => {
    const communes = new Map(loadProvinces().flatMap((p) => p.units.map((u) => [u.code, p.code] as const)));
    const body = (d: DossierInput, side: string): Record<string, boolean> => {
      const { idNumber, idKind, phone, address } = d.applicant;
      const check = idKind === 'mst' ? checkMst : idKind === 'cmnd' ? checkCmnd : checkCccd;
      const idOk = idNumber === undefined || check(idNumber).ok;
      return {
        [`${side} id valid`]: idOk,
        [`${side} id kind`]:
          idNumber === undefined || idKind === 'cccd' || idKind === 'cmnd' || idKind === 'mst',
        [`${side} phone valid`]: phone !== undefined && checkPhone(phone).ok,
        [`${side} commune in its province`]:
          address?.communeCode !== undefined && communes.get(address.communeCode) === address.provinceCode,
        [`${side} agency`]: AGENCIES.includes(d.agency.code),
        [`${side} due after receipt`]: Date.parse(d.dueAt ?? d.receivedAt) >= Date.parse(d.receivedAt),
        [`${side} hashes`]: d.documents.every(
          (doc) => doc.sha256 !== undefined && /^[0-9a-f]{64}$/.test(doc.sha256),
        ),
      };
    };
    expect(violations(parsed, (p) => ({ ...body(p.a, 'a'), ...body(p.b, 'b') }))).toEqual([]);
  });

  it('dual entries: another system, same procedure, agency and applicant id normal form, within 3 days', () => {
    const dual = parsed.filter((p) => p.pair.kind === 'dual_entry');
    expect(
      violations(dual, (p) => ({
        'a from motcua': p.pair.a.source.system === 'motcua',
        'b from xaydung': p.pair.b.source.system === 'xaydung',
        'same procedure': p.a.procedure.code === p.b.procedure.code,
        'same agency': p.a.agency.code === p.b.agency.code,
        'a has an id': p.a.applicant.idNumber !== undefined,
        'same id (unless the label says how they disagree)': DISAGREEING_IDS.includes(p.pair.variant)
          ? p.b.applicant.idNumber !== p.a.applicant.idNumber
          : p.b.applicant.idNumber === p.a.applicant.idNumber,
        'b received 0–3 days after a': gap(p) >= 0 && gap(p) < WINDOW_MS,
        'changes listed': p.pair.changes.length >= 1,
      })),
    ).toEqual([]);
  });

  it('dual entries differ the way their label says', () => {
    const name = (p: Parsed) => p.a.applicant.fullName;
    const bName = (p: Parsed) => p.b.applicant.fullName;
    const rules: Record<string, (p: Parsed) => boolean> = {
      name_no_diacritics: (p) => bName(p) === strip(name(p)) && bName(p) !== name(p),
      name_upper: (p) => bName(p) === name(p).toUpperCase(),
      name_nfd: (p) => bName(p) !== name(p) && bName(p).normalize('NFC') === name(p),
      name_d_stroke: (p) =>
        /[đĐ]/.test(name(p)) && bName(p) === name(p).replace(/đ/g, 'd').replace(/Đ/g, 'D'),
      name_order: (p) => {
        const tokens = name(p).split(' ');
        return bName(p) === [tokens.at(-1), ...tokens.slice(0, -1)].join(' ');
      },
      name_spacing: (p) => bName(p).replace(/\s+/g, ' ') === name(p) && /\s{2}/.test(bName(p)),
      phone_format: (p) =>
        p.pair.a.applicant.phone !== p.pair.b.applicant.phone && p.a.applicant.phone === p.b.applicant.phone,
      address_typo: (p) =>
        p.b.applicant.address?.line !== undefined &&
        p.b.applicant.address.line !== p.a.applicant.address?.line &&
        p.b.applicant.address.communeCode === p.a.applicant.address?.communeCode,
      address_missing: (p) =>
        p.a.applicant.address?.line !== undefined && p.b.applicant.address?.line === undefined,
      receipt_minutes_later: (p) => gap(p) > 0 && gap(p) <= DAY_MS,
      receipt_days_later: (p) => gap(p) >= 20 * 3_600_000,
      documents_none: (p) => p.a.documents.length > 0 && p.b.documents.length === 0,
      documents_subset: (p) => {
        const hashes = new Set(p.a.documents.map((d) => d.sha256));
        return (
          p.b.documents.length > 0 &&
          p.b.documents.length < p.a.documents.length &&
          p.b.documents.every((d) => hashes.has(d.sha256))
        );
      },
      summary_reworded: (p) => p.b.summary !== undefined && p.b.summary !== p.a.summary,
      id_format: (p) =>
        p.a.applicant.idKind === 'mst' &&
        /^\d{10}-\d{3}$/.test(p.a.applicant.idNumber ?? '') &&
        p.pair.b.applicant.idNumber !== p.pair.a.applicant.idNumber,
      missing_id: (p) => p.b.applicant.idNumber === undefined && p.b.applicant.idKind === undefined,
      next_day: (p) => vnDay(p.pair.b.receivedAt) === vnDay(p.pair.a.receivedAt) + 1,
      next_day_missing_id: (p) =>
        vnDay(p.pair.b.receivedAt) === vnDay(p.pair.a.receivedAt) + 1 && p.b.applicant.idNumber === undefined,
      cmnd_cccd: (p) =>
        [p.a.applicant.idNumber?.length, p.b.applicant.idNumber?.length].sort().join() === '12,9' &&
        [p.a.applicant.idKind, p.b.applicant.idKind].sort().join() === 'cccd,cmnd',
      id_typo_swap: (p) => {
        const [x, y] = [p.a.applicant.idNumber ?? '', p.b.applicant.idNumber ?? ''];
        const [i, j, ...rest] = diffs(x, y);
        return (
          x.length === 12 && y.length === 12 && rest.length === 0 && j === (i ?? 0) + 1 && x[i ?? 0] === y[j]
        );
      },
      id_typo_digit: (p) => {
        const [x, y] = [p.a.applicant.idNumber ?? '', p.b.applicant.idNumber ?? ''];
        return x.length === 12 && y.length === 12 && diffs(x, y).length === 1;
      },
      name_letter_wrong: (p) =>
        folded(bName(p)) !== folded(name(p)) && Math.abs(bName(p).length - name(p).length) <= 1,
      misspelt_name: (p) =>
        p.pair.changes[0] === 'name_letter_wrong' &&
        folded(bName(p)).split(' ').sort().join(' ') !== folded(name(p)).split(' ').sort().join(' '),
      multiple: (p) =>
        p.pair.changes.length >= 2 && p.pair.changes.every((c) => DUAL_ENTRY_VARIANTS.some((v) => v === c)),
    };
    expect(Object.keys(rules).sort()).toEqual([...DUAL_ENTRY_VARIANTS].sort());
    const dual = parsed.filter((p) => p.pair.kind === 'dual_entry');
    expect(violations(dual, (p) => ({ [p.pair.variant]: rules[p.pair.variant]?.(p) ?? false }))).toEqual([]);
    // in an unlabelled field nothing differs: a single-change pair changes only what its label says
    const unchanged = dual.filter(
      (p) =>
        p.pair.variant.startsWith('name_') &&
        JSON.stringify({ ...p.b, applicant: {}, source: {} }) !==
          JSON.stringify({ ...p.a, applicant: {}, source: {} }),
    );
    expect(unchanged.map((p) => p.pair.id)).toEqual([]);
  });

  it('near misses differ in applicant id, procedure, receipt (> 3 days), person, or come from the same system', () => {
    const near = parsed.filter((p) => p.pair.kind === 'near_miss');
    const sameSystem = (p: Parsed) => p.pair.a.source.system === p.pair.b.source.system;
    const sameId = (p: Parsed) => p.b.applicant.idNumber === p.a.applicant.idNumber;
    const otherName = (p: Parsed) => folded(p.b.applicant.fullName) !== folded(p.a.applicant.fullName);
    // within reach of each other: same agency and procedure, received within the window
    const sameCase = (p: Parsed) =>
      p.a.agency.code === p.b.agency.code &&
      p.a.procedure.code === p.b.procedure.code &&
      gap(p) >= -DAY_MS &&
      gap(p) < 2 * DAY_MS;
    const byVariant: Record<string, (p: Parsed) => boolean> = {
      namesake: (p) =>
        p.b.applicant.fullName === p.a.applicant.fullName &&
        p.b.applicant.idNumber !== p.a.applicant.idNumber,
      same_person_other_procedure: (p) =>
        p.b.applicant.idNumber === p.a.applicant.idNumber &&
        p.b.procedure.code !== p.a.procedure.code &&
        p.b.receivedAt.slice(0, 10) === p.a.receivedAt.slice(0, 10),
      same_person_later: (p) =>
        p.b.applicant.idNumber === p.a.applicant.idNumber &&
        p.b.procedure.code === p.a.procedure.code &&
        gap(p) >= 30 * DAY_MS,
      relatives: (p) =>
        p.b.applicant.idNumber !== p.a.applicant.idNumber &&
        p.b.applicant.fullName !== p.a.applicant.fullName &&
        p.b.applicant.fullName.split(' ')[0] === p.a.applicant.fullName.split(' ')[0] &&
        p.b.applicant.phone === p.a.applicant.phone &&
        JSON.stringify(p.b.applicant.address) === JSON.stringify(p.a.applicant.address),
      same_system: (p) => p.b.applicant.idNumber === p.a.applicant.idNumber,
      id_collision: (p) =>
        sameId(p) && otherName(p) && p.b.applicant.phone !== p.a.applicant.phone && sameCase(p),
      spouse: (p) =>
        sameId(p) &&
        otherName(p) &&
        p.b.applicant.phone === p.a.applicant.phone &&
        JSON.stringify(p.b.applicant.address) === JSON.stringify(p.a.applicant.address) &&
        sameCase(p),
      siblings: (p) =>
        !sameId(p) &&
        otherName(p) &&
        p.b.applicant.fullName.split(' ')[0] === p.a.applicant.fullName.split(' ')[0] &&
        JSON.stringify(p.b.applicant.address) === JSON.stringify(p.a.applicant.address) &&
        sameCase(p),
    };
    expect(Object.keys(byVariant).sort()).toEqual([...NEAR_MISS_VARIANTS].sort());
    expect(
      violations(near, (p) => ({
        'kept apart by id, procedure, > 3 days, another person under the id, or same system':
          p.a.applicant.idNumber !== p.b.applicant.idNumber ||
          p.a.procedure.code !== p.b.procedure.code ||
          Math.abs(gap(p)) > WINDOW_MS ||
          ['id_collision', 'spouse'].includes(p.pair.variant) ||
          sameSystem(p),
        'same system only for same_system': sameSystem(p) === (p.pair.variant === 'same_system'),
        'both sides have ids': p.a.applicant.idNumber !== undefined && p.b.applicant.idNumber !== undefined,
        [p.pair.variant]: byVariant[p.pair.variant]?.(p) ?? false,
      })),
    ).toEqual([]);
  });
});

describe('dedup generator options and determinism', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const opts = { count: 300, seed: 42, agencies: AGENCIES };
    expect(generatePairs(opts)).toEqual(generatePairs(opts));
    expect(generatePairs({ ...opts, seed: 43 })).not.toEqual(generatePairs(opts));
    expect(generateSingles(opts)).toEqual(generateSingles(opts));
  });

  it('honours nearMissRatio, systems and startDate', () => {
    const pairs = generatePairs({
      count: 1000,
      seed: 5,
      agencies: ['000.00.15.H24'],
      nearMissRatio: 0.5,
      systems: ['one', 'two'],
      startDate: '2026-09-01',
    });
    expect(pairs.filter((p) => p.kind === 'near_miss')).toHaveLength(500);
    const wrong = pairs.filter(
      (p) =>
        p.a.source.system !== 'one' ||
        p.b.source.system !== (p.variant === 'same_system' ? 'one' : 'two') ||
        p.a.receivedAt < '2026-09-01' ||
        p.a.agency.code !== '000.00.15.H24',
    );
    expect(wrong).toEqual([]);
    const none = generatePairs({ count: 10, seed: 1, agencies: AGENCIES, nearMissRatio: 0 });
    expect(none.every((p) => p.kind === 'dual_entry')).toBe(true);
  });

  it('falls back to a built-in commune list when the catalogue file is absent', () => {
    const path = '/nonexistent/admin-units.json';
    const pairs = generatePairs({ count: 50, seed: 9, agencies: AGENCIES, adminUnitsPath: path });
    const fallback = new Set(loadProvinces(path).flatMap((p) => p.units.map((u) => u.code)));
    expect(fallback.size).toBeGreaterThan(0);
    for (const p of pairs) {
      parse(p.a);
      parse(p.b);
      expect(fallback.has(p.a.applicant.address?.communeCode ?? '')).toBe(true);
    }
  });

  it('rejects bad options', () => {
    expect(() => generatePairs({ count: 1, seed: 1, agencies: [] })).toThrow();
    expect(() => generatePairs({ count: 1, seed: 1, agencies: ['H24'] })).toThrow();
    expect(() => generatePairs({ count: 1, seed: 1, agencies: AGENCIES, startDate: '1/6/2026' })).toThrow();
    expect(() => generatePairs({ count: 1, seed: 1, agencies: AGENCIES, nearMissRatio: 2 })).toThrow();
  });

  it('singles are valid, unrelated to the pairs and pushed by system A', () => {
    const singles = generateSingles({ count: 2000, seed: 3, agencies: AGENCIES }).map(parse);
    const pairs = generatePairs({ count: 2000, seed: 3, agencies: AGENCIES });
    const pairIds = new Set(pairs.flatMap((p) => [p.a, p.b].map((d) => parse(d).applicant.idNumber)));
    const pairRecords = new Set(pairs.flatMap((p) => [p.a.source.recordId, p.b.source.recordId]));
    const bad = singles.filter(
      (d) =>
        d.source.system !== 'motcua' ||
        pairIds.has(d.applicant.idNumber) ||
        pairRecords.has(d.source.recordId) ||
        (d.resolvedAt !== undefined && Date.parse(d.resolvedAt) <= Date.parse(d.receivedAt)) ||
        (d.returnedAt !== undefined && !(Date.parse(d.returnedAt) > Date.parse(d.resolvedAt ?? ''))),
    );
    expect(bad).toEqual([]);
    expect(new Set(singles.map((s) => s.source.recordId)).size).toBe(2000);
    expect(new Set(singles.map((s) => s.applicant.idNumber)).size).toBe(2000);
    expect([...new Set(singles.map((s) => s.status))].sort()).toEqual([
      'processing',
      'received',
      'resolved',
      'returned',
    ]);
    expect(singles.some((s) => s.applicant.type === 'business')).toBe(true);
    expect(singles.some((s) => /^\d{10}-\d{3}$/.test(s.applicant.idNumber ?? ''))).toBe(true);
  });

  it('every seed gives schema-valid bodies (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (seed, ratio) =>
        generatePairs({ count: 20, seed, agencies: AGENCIES, nearMissRatio: ratio }).every(
          (p) => DossierInputSchema.safeParse(p.a).success && DossierInputSchema.safeParse(p.b).success,
        ),
      ),
      { numRuns: 40 },
    );
  });
});
