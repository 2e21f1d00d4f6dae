import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AGENCY_ID_PATTERN,
  type CheckResult,
  checkAgencyId,
  checkCccd,
  checkCmnd,
  checkDossierCode,
  checkIdNumber,
  checkMst,
  checkPassport,
  checkPhone,
  checkProcedureCode,
  checkS10,
  type IdKind,
  inferIdKind,
  mstCheckDigit,
  parseDossierCode,
  s10CheckDigit,
  zIdentifier,
} from '../../schemas/identifiers.js';

// ---------------------------------------------------------------------------------------------------------
// Generators and independent reference implementations
// ---------------------------------------------------------------------------------------------------------

const DIGITS = '0123456789'.split('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

const digits = (minLength: number, maxLength: number = minLength): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...DIGITS), minLength, maxLength });
const upper = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...UPPER), minLength: length, maxLength: length });
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
/** Surrounding whitespace that every check must ignore. */
const blank = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \t ');
const rule = (r: CheckResult): string | undefined => (r.ok ? undefined : r.rule);

/** Replaces the character at `index` with `replacement`. */
const replaceAt = (s: string, index: number, replacement: string): string =>
  s.slice(0, index) + replacement + s.slice(index + 1);

/** A digit in 0–9 that differs from `d` (offset 1–9, modulo 10). */
const otherDigit = (d: string, offset: number): string => String((Number(d) + offset) % 10);

const agencyId = fc
  .tuple(digits(3), digits(2), digits(2), fc.constantFrom(...UPPER), digits(2))
  .map(([a, b, c, letter, n]) => `${a}.${b}.${c}.${letter}${n}`);

const PROVINCES = (
  '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 ' +
  '040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 ' +
  '083 084 086 087 089 091 092 093 094 095 096'
).split(' ');

/** Century of a CCCD's 4th digit, written out as a table rather than computed. */
const CENTURY_OF_DIGIT: Record<string, number> = {
  '0': 1900,
  '1': 1900,
  '2': 2000,
  '3': 2000,
  '4': 2100,
  '5': 2100,
  '6': 2200,
  '7': 2200,
  '8': 2300,
  '9': 2300,
};
const cccdBirthYear = (cccd: string): number =>
  (CENTURY_OF_DIGIT[cccd.charAt(3)] ?? NaN) + Number(cccd.slice(4, 6));

/** Builds a CCCD for a given birth year (1900–2399) and gender (0 male, 1 female). */
const cccdFor = (province: string, birthYear: number, gender: number, serial: string): string => {
  const centuryDigit = (Math.floor(birthYear / 100) - 19) * 2 + gender;
  return `${province}${centuryDigit}${pad(birthYear % 100, 2)}${serial}`;
};

const NOW = new Date(2025, 5, 15);
const NOW_YEAR = 2025;

/** Reference MST check digit written independently from the module (explicit weight list, reduce). */
const referenceMst = (first9: string): number | null => {
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = first9.split('').reduce((acc, c, i) => acc + Number(c) * (weights[i] ?? NaN), 0);
  const check = 10 - (sum % 11);
  return check >= 0 && check <= 9 ? check : null;
};

/** First nine MST digits that admit a check digit. */
const mstFirst9 = digits(9).filter((s) => referenceMst(s) !== null);
const validMst = mstFirst9.map((s) => `${s}${referenceMst(s)}`);
const branch = fc.integer({ min: 1, max: 999 }).map((n) => pad(n, 3));

/** Reference S10 check digit (independent of the module). */
const referenceS10 = (serial: string): number => {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const r = serial.split('').reduce((acc, c, i) => acc + Number(c) * (weights[i] ?? NaN), 0) % 11;
  if (r === 0) return 5;
  if (r === 1) return 0;
  return 11 - r;
};
const validS10 = fc
  .tuple(upper(2), digits(8), upper(2))
  .map(([service, serial, country]) => `${service}${serial}${referenceS10(serial)}${country}`);

/** Whether a yyMMdd (20yy) is a real day, decided by round-tripping through Date. */
const isRealDate = (yy: number, mm: number, dd: number): boolean => {
  const d = new Date(Date.UTC(2000 + yy, mm - 1, dd));
  return d.getUTCFullYear() === 2000 + yy && d.getUTCMonth() === mm - 1 && d.getUTCDate() === dd;
};
const yyMMdd = fc
  .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
  .map((d) => `${pad(d.getUTCFullYear() % 100, 2)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`);
const sequence = fc.integer({ min: 1, max: 9999 }).map((n) => pad(n, 4));

/** A mobile number's 9 significant digits (after the leading 0 / +84). */
const mobileSignificant = fc
  .tuple(fc.constantFrom('3', '5', '7', '8', '9'), digits(8))
  .map(([p, r]) => p + r);
/** A landline number's 10 significant digits. */
const landlineSignificant = digits(9).map((r) => `2${r}`);

/** Renders the significant digits of a Vietnamese number in one of the accepted notations. */
const phoneNotations: ReadonlyArray<(sig: string) => string> = [
  (sig) => `0${sig}`,
  (sig) => `0${sig.slice(0, 3)} ${sig.slice(3, 6)} ${sig.slice(6)}`,
  (sig) => `0${sig.slice(0, 3)}.${sig.slice(3, 6)}.${sig.slice(6)}`,
  (sig) => `0${sig.slice(0, 3)}-${sig.slice(3, 6)}-${sig.slice(6)}`,
  (sig) => `(0${sig.slice(0, 2)}) ${sig.slice(2, 5)} ${sig.slice(5)}`,
  (sig) => `+84${sig}`,
  (sig) => `+84 ${sig.slice(0, 3)} ${sig.slice(3, 6)} ${sig.slice(6)}`,
  (sig) => `84${sig}`,
  (sig) => `0084${sig}`,
];
const phoneNotation = fc.constantFrom(...phoneNotations);

// ---------------------------------------------------------------------------------------------------------
// Agency id
// ---------------------------------------------------------------------------------------------------------

describe('checkAgencyId', () => {
  it.each(['000.00.00.H56', '000.00.15.H06', '000.00.01.H22'])('accepts the known agency id %s', (id) => {
    expect(checkAgencyId(id)).toEqual({ ok: true, value: id });
  });

  it('accepts every well-formed agency id and returns it trimmed', () => {
    fc.assert(
      fc.property(agencyId, blank, blank, (id, before, after) => {
        expect(checkAgencyId(`${before}${id}${after}`)).toEqual({ ok: true, value: id });
        expect(AGENCY_ID_PATTERN.test(id)).toBe(true);
      }),
    );
  });

  it('refuses an agency id whose letter position holds a digit or a lowercase letter', () => {
    fc.assert(
      fc.property(agencyId, fc.constantFrom(...DIGITS, 'h', 'a', 'z'), (id, replacement) => {
        expect(rule(checkAgencyId(replaceAt(id, 10, replacement)))).toBe('agency_id_format');
      }),
    );
  });

  it('refuses an agency id where any digit is replaced by a letter', () => {
    const digitPositions = [0, 1, 2, 4, 5, 7, 8, 11, 12];
    fc.assert(
      fc.property(
        agencyId,
        fc.constantFrom(...digitPositions),
        fc.constantFrom(...UPPER),
        (id, i, letter) => {
          expect(rule(checkAgencyId(replaceAt(id, i, letter)))).toBe('agency_id_format');
        },
      ),
    );
  });

  it('refuses an agency id with a character removed or added', () => {
    fc.assert(
      fc.property(agencyId, fc.nat(12), fc.constantFrom(...DIGITS), fc.boolean(), (id, i, d, remove) => {
        const corrupted = remove ? id.slice(0, i) + id.slice(i + 1) : id.slice(0, i) + d + id.slice(i);
        expect(rule(checkAgencyId(corrupted))).toBe('agency_id_format');
        expect(AGENCY_ID_PATTERN.test(corrupted)).toBe(false);
      }),
    );
  });

  it.each(['', '000.00.00', '000-00-00-H56', '000.00.00.H5', '000.00.00.56H', '000.00.00.H56.'])(
    'refuses the malformed agency id %j',
    (id) => {
      const result = checkAgencyId(id);
      expect(result).toMatchObject({ ok: false, rule: 'agency_id_format' });
      expect(result.ok ? '' : result.message).toMatch(/agency id/i);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------
// Dossier code
// ---------------------------------------------------------------------------------------------------------

describe('checkDossierCode and parseDossierCode', () => {
  it('accepts the known dossier code and splits it into its parts', () => {
    expect(checkDossierCode('000.00.15.H56-250101-0001')).toEqual({
      ok: true,
      value: '000.00.15.H56-250101-0001',
    });
    expect(parseDossierCode('  000.00.15.H56-250101-0001 ')).toEqual({
      agencyId: '000.00.15.H56',
      date: '250101',
      sequence: 1,
    });
  });

  it('accepts every code built from an agency id, a real date and a sequence 0001–9999', () => {
    fc.assert(
      fc.property(agencyId, yyMMdd, sequence, blank, (id, date, seq, space) => {
        const code = `${id}-${date}-${seq}`;
        expect(checkDossierCode(`${space}${code}${space}`)).toEqual({ ok: true, value: code });
        expect(parseDossierCode(code)).toEqual({ agencyId: id, date, sequence: Number(seq) });
      }),
    );
  });

  it('accepts a date exactly when it is a real calendar day of 20yy', () => {
    fc.assert(
      fc.property(agencyId, fc.nat(99), fc.nat(99), fc.nat(99), sequence, (id, yy, mm, dd, seq) => {
        const date = `${pad(yy, 2)}${pad(mm, 2)}${pad(dd, 2)}`;
        const result = checkDossierCode(`${id}-${date}-${seq}`);
        if (isRealDate(yy, mm, dd)) expect(result.ok).toBe(true);
        else expect(rule(result)).toBe('dossier_code_date');
      }),
    );
  });

  it.each([
    ['250229', 'dossier_code_date'],
    ['240229', null],
    ['000229', null],
    ['250230', 'dossier_code_date'],
    ['250431', 'dossier_code_date'],
    ['251301', 'dossier_code_date'],
    ['250001', 'dossier_code_date'],
    ['250100', 'dossier_code_date'],
    ['251231', null],
  ])('judges the date %s with rule %s', (date, expected) => {
    const result = checkDossierCode(`000.00.15.H56-${date}-0001`);
    expect(rule(result) ?? null).toBe(expected);
  });

  it('refuses sequence 0000', () => {
    fc.assert(
      fc.property(agencyId, yyMMdd, (id, date) => {
        expect(rule(checkDossierCode(`${id}-${date}-0000`))).toBe('dossier_code_sequence');
        expect(parseDossierCode(`${id}-${date}-0000`)).toBeNull();
      }),
    );
  });

  it('refuses a code whose date or sequence has the wrong number of digits', () => {
    fc.assert(
      fc.property(
        agencyId,
        digits(0, 9).filter((d) => d.length !== 6),
        digits(0, 7).filter((d) => d.length !== 4),
        fc.boolean(),
        (id, date, seq, breakDate) => {
          const code = breakDate ? `${id}-${date}-0001` : `${id}-250101-${seq}`;
          expect(rule(checkDossierCode(code))).toBe('dossier_code_format');
          expect(parseDossierCode(code)).toBeNull();
        },
      ),
    );
  });

  it('refuses a code whose agency part is malformed', () => {
    fc.assert(
      fc.property(agencyId, yyMMdd, sequence, fc.constantFrom(...DIGITS), (id, date, seq, d) => {
        expect(rule(checkDossierCode(`${replaceAt(id, 10, d)}-${date}-${seq}`))).toBe('dossier_code_format');
      }),
    );
  });

  it.each([
    '',
    '000.00.15.H56',
    '000.00.15.H56-250101',
    '000.00.15.H56_250101_0001',
    '000.00.15.H56-25010A-0001',
  ])('refuses the malformed dossier code %j', (code) => {
    expect(rule(checkDossierCode(code))).toBe('dossier_code_format');
    expect(parseDossierCode(code)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------
// Procedure code
// ---------------------------------------------------------------------------------------------------------

describe('checkProcedureCode', () => {
  it.each(['1.001776', '2.000477', '2.000477.000.00.00.H56'])(
    'accepts the known procedure code %s',
    (code) => {
      expect(checkProcedureCode(code)).toEqual({ ok: true, value: code });
    },
  );

  it('accepts every digit.6-digits code, with or without an agency suffix, trimmed', () => {
    fc.assert(
      fc.property(digits(1), digits(6), fc.option(agencyId), blank, (a, b, suffix, space) => {
        const code = suffix === null ? `${a}.${b}` : `${a}.${b}.${suffix}`;
        expect(checkProcedureCode(`${space}${code}${space}`)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it('refuses a code whose parts have the wrong number of digits', () => {
    fc.assert(
      fc.property(
        digits(0, 3).filter((d) => d.length !== 1),
        digits(0, 9).filter((d) => d.length !== 6),
        fc.boolean(),
        (a, b, breakFirst) => {
          const code = breakFirst ? `${a}.000477` : `2.${b}`;
          expect(rule(checkProcedureCode(code))).toBe('procedure_code_format');
        },
      ),
    );
  });

  it('refuses a code whose agency suffix is malformed', () => {
    fc.assert(
      fc.property(agencyId, fc.nat(12), (id, i) => {
        const broken = id.slice(0, i) + id.slice(i + 1);
        expect(rule(checkProcedureCode(`2.000477.${broken}`))).toBe('procedure_code_format');
      }),
    );
  });

  it.each(['', '2.000477.', '2000477', '2,000477', 'A.000477', '2.00047X'])(
    'refuses the malformed code %j',
    (code) => {
      expect(rule(checkProcedureCode(code))).toBe('procedure_code_format');
    },
  );
});

// ---------------------------------------------------------------------------------------------------------
// CCCD
// ---------------------------------------------------------------------------------------------------------

describe('checkCccd', () => {
  const plausibleCccd = fc
    .tuple(
      fc.constantFrom(...PROVINCES),
      // CCCD birth years start at 1900, later than NOW_YEAR - 130.
      fc.integer({ min: 1900, max: NOW_YEAR }),
      fc.integer({ min: 0, max: 1 }),
      digits(6),
    )
    .map(([p, year, gender, serial]) => cccdFor(p, year, gender, serial));

  it('accepts every CCCD with a known province and a birth year within 130 years before now', () => {
    fc.assert(
      fc.property(plausibleCccd, blank, (cccd, space) => {
        expect(checkCccd(`${space}${cccd}${space}`, NOW)).toEqual({ ok: true, value: cccd });
      }),
    );
  });

  it('accepts a birth year exactly when it lies between 130 years before the reference year and that year', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROVINCES),
        digits(1),
        digits(2),
        digits(6),
        fc.integer({ min: 1900, max: 2450 }),
        (p, centuryDigit, yy, serial, refYear) => {
          const cccd = `${p}${centuryDigit}${yy}${serial}`;
          const year = cccdBirthYear(cccd);
          const result = checkCccd(cccd, new Date(refYear, 6, 1));
          if (year <= refYear && year >= refYear - 130) expect(result).toEqual({ ok: true, value: cccd });
          else expect(rule(result)).toBe('cccd_birth_year');
        },
      ),
    );
  });

  it('refuses a birth year in the future with a message naming the year', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROVINCES),
        fc.integer({ min: NOW_YEAR + 1, max: 2399 }),
        fc.integer({ min: 0, max: 1 }),
        digits(6),
        (p, year, gender, serial) => {
          const result = checkCccd(cccdFor(p, year, gender, serial), NOW);
          expect(result).toEqual({
            ok: false,
            rule: 'cccd_birth_year',
            message: `CCCD birth year ${year} is in the future`,
          });
        },
      ),
    );
  });

  it('refuses a birth year more than 130 years before the reference year', () => {
    const in2040 = new Date(2040, 0, 1);
    expect(checkCccd(cccdFor('001', 1909, 0, '123456'), in2040)).toEqual({
      ok: false,
      rule: 'cccd_birth_year',
      message: 'CCCD birth year 1909 is more than 130 years before 2040',
    });
    expect(checkCccd(cccdFor('001', 1910, 0, '123456'), in2040).ok).toBe(true);
    expect(rule(checkCccd(cccdFor('079', 2000, 1, '000001'), new Date(2131, 0, 1)))).toBe('cccd_birth_year');
  });

  it('uses the current year when no reference date is given', () => {
    const thisYear = new Date().getFullYear();
    expect(checkCccd(cccdFor('001', thisYear - 30, 1, '123456')).ok).toBe(true);
    expect(rule(checkCccd(cccdFor('001', thisYear + 1, 1, '123456')))).toBe('cccd_birth_year');
  });

  it('refuses a province code that is not one of the 63 provinces', () => {
    fc.assert(
      fc.property(
        digits(3).filter((p) => !PROVINCES.includes(p)),
        digits(9),
        (province, rest) => {
          expect(rule(checkCccd(`${province}${rest}`, NOW))).toBe('cccd_province');
        },
      ),
    );
  });

  it('refuses anything that is not exactly 12 digits', () => {
    fc.assert(
      fc.property(
        digits(0, 20).filter((d) => d.length !== 12),
        (s) => {
          expect(rule(checkCccd(s, NOW))).toBe('cccd_format');
        },
      ),
    );
  });

  it('refuses a CCCD with a letter in it', () => {
    fc.assert(
      fc.property(plausibleCccd, fc.nat(11), fc.constantFrom(...UPPER, 'a', 'x'), (cccd, i, letter) => {
        expect(rule(checkCccd(replaceAt(cccd, i, letter), NOW))).toBe('cccd_format');
      }),
    );
  });

  it.each([
    ['001090123456', true],
    ['079203001234', true],
    ['096302000001', true],
    ['003090123456', 'cccd_province'],
    ['097090123456', 'cccd_province'],
    ['001290123456', 'cccd_birth_year'],
    ['00109012345', 'cccd_format'],
    ['001 090 123 456', 'cccd_format'],
  ])('judges %s as %s', (cccd, expected) => {
    const result = checkCccd(cccd, NOW);
    expect(result.ok ? true : result.rule).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------
// CMND
// ---------------------------------------------------------------------------------------------------------

describe('checkCmnd', () => {
  const validCmnd = digits(9).filter((s) => new Set(s).size > 1);

  it('accepts every 9-digit number that is not one digit repeated, trimmed', () => {
    fc.assert(
      fc.property(validCmnd, blank, (cmnd, space) => {
        expect(checkCmnd(`${space}${cmnd}${space}`)).toEqual({ ok: true, value: cmnd });
      }),
    );
  });

  it.each(DIGITS)('refuses the digit %s repeated nine times', (d) => {
    expect(rule(checkCmnd(d.repeat(9)))).toBe('cmnd_format');
  });

  it('refuses anything that is not exactly 9 digits', () => {
    fc.assert(
      fc.property(
        digits(0, 15).filter((d) => d.length !== 9),
        (s) => {
          expect(rule(checkCmnd(s))).toBe('cmnd_format');
        },
      ),
    );
  });

  it('refuses a CMND with a letter in it', () => {
    fc.assert(
      fc.property(validCmnd, fc.nat(8), fc.constantFrom(...UPPER), (cmnd, i, letter) => {
        expect(rule(checkCmnd(replaceAt(cmnd, i, letter)))).toBe('cmnd_format');
      }),
    );
  });

  it.each(['123456789', '012345678', '111111112'])('accepts the CMND %s', (cmnd) => {
    expect(checkCmnd(cmnd)).toEqual({ ok: true, value: cmnd });
  });
});

// ---------------------------------------------------------------------------------------------------------
// MST
// ---------------------------------------------------------------------------------------------------------

describe('checkMst and mstCheckDigit', () => {
  it.each(['0100233488', '0314409058', '0100112437', '0312687878'])('accepts the known MST %s', (mst) => {
    expect(checkMst(mst)).toEqual({ ok: true, value: mst });
    expect(mstCheckDigit(mst.slice(0, 9))).toBe(Number(mst[9]));
  });

  it.each(['0100233488-001', '0100233488001', '0100233488 - 001', '0100233488 -001', ' 0100233488- 001 '])(
    'normalises the branch form %j to 0100233488-001',
    (mst) => {
      expect(checkMst(mst)).toEqual({ ok: true, value: '0100233488-001' });
    },
  );

  it('computes the same check digit as the reference for every nine digits', () => {
    fc.assert(
      fc.property(digits(9), (first9) => {
        expect(mstCheckDigit(first9)).toBe(referenceMst(first9));
      }),
    );
  });

  it('returns no check digit when the weighted sum is a multiple of 11, and such codes are never valid', () => {
    // 1·31 + 0·… + 8·3 = 55 = 5 × 11
    expect(mstCheckDigit('100000008')).toBeNull();
    for (const d of DIGITS) {
      expect(rule(checkMst(`100000008${d}`))).toBe('mst_check_digit');
    }
    // 1·31 + 4·3 = 43, 43 mod 11 = 10, so the check digit is 0
    expect(mstCheckDigit('100000004')).toBe(0);
    expect(checkMst('1000000040').ok).toBe(true);
  });

  it('returns null for anything other than nine digits', () => {
    for (const s of ['', '12345678', '1234567890', '12345678A']) expect(mstCheckDigit(s)).toBeNull();
  });

  it('accepts every 10-digit MST whose last digit is the check digit', () => {
    fc.assert(
      fc.property(validMst, blank, (mst, space) => {
        expect(checkMst(`${space}${mst}${space}`)).toEqual({ ok: true, value: mst });
      }),
    );
  });

  it('accepts every branch MST in all three notations and writes it with a dash', () => {
    fc.assert(
      fc.property(validMst, branch, fc.constantFrom('-', '', ' - ', ' -', '- '), (mst, suffix, separator) => {
        expect(checkMst(`${mst}${separator}${suffix}`)).toEqual({ ok: true, value: `${mst}-${suffix}` });
      }),
    );
  });

  it('refuses a single changed digit exactly when the check digit no longer matches', () => {
    fc.assert(
      fc.property(validMst, fc.nat(9), fc.integer({ min: 1, max: 9 }), (mst, i, offset) => {
        const corrupted = replaceAt(mst, i, otherDigit(mst.charAt(i), offset));
        const stillValid = referenceMst(corrupted.slice(0, 9)) === Number(corrupted[9]);
        const result = checkMst(corrupted);
        if (stillValid) expect(result.ok).toBe(true);
        else expect(rule(result)).toBe('mst_check_digit');
        // Every weight is non-zero mod 11, so one changed digit always moves the sum mod 11: never still valid.
        expect(stillValid).toBe(false);
      }),
    );
  });

  it('refuses a swap of two adjacent different digits', () => {
    fc.assert(
      fc.property(validMst, fc.nat(7), (mst, i) => {
        fc.pre(mst[i] !== mst[i + 1]);
        const swapped = mst.slice(0, i) + mst.charAt(i + 1) + mst.charAt(i) + mst.slice(i + 2);
        expect(rule(checkMst(swapped))).toBe('mst_check_digit');
      }),
    );
  });

  it('refuses branch suffix 000', () => {
    fc.assert(
      fc.property(validMst, fc.constantFrom('-', ''), (mst, separator) => {
        expect(rule(checkMst(`${mst}${separator}000`))).toBe('mst_branch');
      }),
    );
  });

  it('refuses digit strings of any length other than 10 or 13', () => {
    fc.assert(
      fc.property(
        digits(0, 20).filter((d) => d.length !== 10 && d.length !== 13),
        (s) => {
          expect(rule(checkMst(s))).toBe('mst_format');
        },
      ),
    );
  });

  it('refuses an MST with a letter in it', () => {
    fc.assert(
      fc.property(validMst, branch, fc.nat(12), fc.constantFrom(...UPPER), (mst, suffix, i, letter) => {
        expect(rule(checkMst(replaceAt(`${mst}${suffix}`, i, letter)))).toBe('mst_format');
      }),
    );
  });

  it.each(['0100233487', '0100233489', '1100233488', '0100233488-0001', '0100233488-01', '0100233488--001'])(
    'refuses the invalid MST %j',
    (mst) => {
      expect(checkMst(mst).ok).toBe(false);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------
// Passport
// ---------------------------------------------------------------------------------------------------------

describe('checkPassport', () => {
  const vietnamesePassport = fc.tuple(fc.constantFrom(...UPPER), digits(7, 8)).map(([l, d]) => l + d);
  const foreignPassport = fc.string({
    unit: fc.constantFrom(...UPPER, ...DIGITS),
    minLength: 6,
    maxLength: 9,
  });

  it('accepts every Vietnamese passport number, uppercased and without spaces', () => {
    fc.assert(
      fc.property(vietnamesePassport, blank, fc.boolean(), (passport, space, lower) => {
        const written = lower ? passport.toLowerCase() : passport;
        expect(checkPassport(`${space}${written}${space}`)).toEqual({ ok: true, value: passport });
        expect(checkPassport(`${written.slice(0, 1)} ${written.slice(1)}`)).toEqual({
          ok: true,
          value: passport,
        });
      }),
    );
  });

  it('accepts every 6–9 character alphanumeric foreign passport number', () => {
    fc.assert(
      fc.property(foreignPassport, (passport) => {
        expect(checkPassport(passport)).toEqual({ ok: true, value: passport });
      }),
    );
  });

  it('refuses passport numbers shorter than 6 or longer than 9 characters', () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: fc.constantFrom(...UPPER, ...DIGITS), maxLength: 20 })
          .filter((s) => s.length < 6 || s.length > 9),
        (s) => {
          expect(rule(checkPassport(s))).toBe('passport_format');
        },
      ),
    );
  });

  it('refuses passport numbers containing punctuation or non-ASCII letters', () => {
    fc.assert(
      fc.property(
        vietnamesePassport,
        fc.nat(8),
        fc.constantFrom('-', '.', '/', '#', 'Đ', 'É'),
        (p, i, bad) => {
          expect(rule(checkPassport(replaceAt(p, Math.min(i, p.length - 1), bad)))).toBe('passport_format');
        },
      ),
    );
  });

  it.each([
    ['C1234567', 'C1234567'],
    ['b12345678', 'B12345678'],
    ['N 1234567', 'N1234567'],
    ['AB123456', 'AB123456'],
  ])('normalises %j to %s', (input, expected) => {
    expect(checkPassport(input)).toEqual({ ok: true, value: expected });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------------------------

describe('checkPhone', () => {
  it.each([
    '0912 345 678',
    '0912.345.678',
    '0912-345-678',
    '(091) 234 5678',
    '+84912345678',
    '+84 912 345 678',
    '84912345678',
    '0084912345678',
    '0912345678',
    '  0912345678  ',
  ])('normalises %j to +84912345678', (phone) => {
    expect(checkPhone(phone)).toEqual({ ok: true, value: '+84912345678' });
  });

  it('normalises the landline 0222 3821 234 to E.164', () => {
    expect(checkPhone('0222 3821 234')).toEqual({ ok: true, value: '+842223821234' });
  });

  it('accepts every mobile number in every notation and returns E.164', () => {
    fc.assert(
      fc.property(mobileSignificant, phoneNotation, blank, (sig, notation, space) => {
        expect(checkPhone(`${space}${notation(sig)}${space}`)).toEqual({ ok: true, value: `+84${sig}` });
      }),
    );
  });

  it('accepts every landline number in every notation and returns E.164', () => {
    fc.assert(
      fc.property(landlineSignificant, phoneNotation, (sig, notation) => {
        expect(checkPhone(notation(sig))).toEqual({ ok: true, value: `+84${sig}` });
      }),
    );
  });

  it('refuses a 10-digit number whose prefix is not a mobile prefix', () => {
    fc.assert(
      // (A leading 00 is left to the table below: 0084… would read as an international prefix.)
      fc.property(fc.constantFrom('1', '2', '4', '6'), digits(8), phoneNotation, (p, rest, notation) => {
        expect(rule(checkPhone(notation(`${p}${rest}`)))).toBe('phone_prefix');
      }),
    );
  });

  it('refuses old 11-digit mobiles and any 11-digit number not starting with 02', () => {
    fc.assert(
      fc.property(fc.constantFrom('1', '3', '5', '7', '8', '9'), digits(9), (p, rest) => {
        expect(rule(checkPhone(`0${p}${rest}`))).toBe('phone_prefix');
      }),
    );
  });

  it('refuses national numbers that are too short or too long', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('2', '3', '5', '7', '8', '9'),
        digits(0, 14).filter((d) => d.length !== 8 && d.length !== 9),
        (p, rest) => {
          expect(rule(checkPhone(`0${p}${rest}`))).toBe('phone_format');
          expect(rule(checkPhone(`+84${p}${rest}`))).toBe('phone_format');
        },
      ),
    );
  });

  it('refuses a number with a letter in it', () => {
    fc.assert(
      fc.property(
        mobileSignificant,
        phoneNotation,
        fc.nat(20),
        fc.constantFrom('a', 'O', 'x', 'l'),
        (sig, n, i, l) => {
          const written = n(sig);
          const at = i % written.length;
          expect(rule(checkPhone(written.slice(0, at) + l + written.slice(at)))).toBe('phone_format');
        },
      ),
    );
  });

  it.each([
    ['0112345678', 'phone_prefix'],
    ['01912345678', 'phone_prefix'],
    ['091234567', 'phone_format'],
    ['09123456789', 'phone_prefix'],
    ['912345678', 'phone_format'],
    ['+1 912 345 678', 'phone_format'],
    ['+84 0912 345 678', 'phone_prefix'],
    ['(091 234 5678', 'phone_format'],
    ['0912+345678', 'phone_format'],
    ['', 'phone_format'],
    ['0912 345 67a', 'phone_format'],
  ])('refuses %j with rule %s', (phone, expected) => {
    expect(rule(checkPhone(phone))).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------
// S10
// ---------------------------------------------------------------------------------------------------------

describe('checkS10 and s10CheckDigit', () => {
  it('accepts EB123456785VN and refuses EB123456789VN', () => {
    expect(checkS10('EB123456785VN')).toEqual({ ok: true, value: 'EB123456785VN' });
    expect(rule(checkS10('EB123456789VN'))).toBe('s10_check_digit');
    expect(s10CheckDigit('12345678')).toBe(5);
  });

  it('maps a remainder of 0 to check digit 5 and a remainder of 1 to check digit 0', () => {
    expect(s10CheckDigit('00000000')).toBe(5);
    expect(checkS10('RR000000005VN').ok).toBe(true);
    // 8 × 7 = 56, 56 mod 11 = 1, 11 − 1 = 10 → 0
    expect(s10CheckDigit('00000008')).toBe(0);
    expect(checkS10('RR000000080VN').ok).toBe(true);
  });

  it('computes the same check digit as the reference, always a single digit', () => {
    fc.assert(
      fc.property(digits(8), (serial) => {
        const d = s10CheckDigit(serial);
        expect(d).toBe(referenceS10(serial));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(9);
      }),
    );
  });

  it('throws on a serial that is not 8 digits', () => {
    expect(() => s10CheckDigit('1234567')).toThrow(RangeError);
    expect(() => s10CheckDigit('1234567A')).toThrow(RangeError);
  });

  it('accepts every S10 number with the right check digit, uppercased and without spaces', () => {
    fc.assert(
      fc.property(validS10, blank, fc.boolean(), (s10, space, lower) => {
        const written = lower ? s10.toLowerCase() : s10;
        expect(checkS10(`${space}${written}${space}`)).toEqual({ ok: true, value: s10 });
        expect(checkS10(`${s10.slice(0, 2)} ${s10.slice(2, 11)} ${s10.slice(11)}`)).toEqual({
          ok: true,
          value: s10,
        });
      }),
    );
  });

  it('refuses every S10 number whose check digit is replaced by another digit', () => {
    fc.assert(
      fc.property(validS10, fc.integer({ min: 1, max: 9 }), (s10, offset) => {
        expect(rule(checkS10(replaceAt(s10, 10, otherDigit(s10.charAt(10), offset))))).toBe(
          's10_check_digit',
        );
      }),
    );
  });

  it('refuses a changed serial digit unless the check digit happens to still match', () => {
    fc.assert(
      fc.property(
        validS10,
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (s10, i, offset) => {
          const corrupted = replaceAt(s10, i, otherDigit(s10.charAt(i), offset));
          const stillValid = referenceS10(corrupted.slice(2, 10)) === Number(corrupted[10]);
          const result = checkS10(corrupted);
          if (stillValid) expect(result).toEqual({ ok: true, value: corrupted });
          else expect(rule(result)).toBe('s10_check_digit');
        },
      ),
    );
  });

  it('refuses S10 numbers with digits where letters belong, letters where digits belong, or wrong length', () => {
    fc.assert(
      fc.property(
        validS10,
        fc.nat(12),
        fc.constantFrom(...UPPER),
        fc.constantFrom(...DIGITS),
        fc.nat(2),
        (s10, i, letter, digit, mode) => {
          const corrupted =
            mode === 0
              ? replaceAt(s10, i, i >= 2 && i <= 10 ? letter : digit)
              : mode === 1
                ? s10.slice(0, i) + s10.slice(i + 1)
                : s10.slice(0, i) + digit + s10.slice(i);
          expect(rule(checkS10(corrupted))).toBe('s10_format');
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Id kinds
// ---------------------------------------------------------------------------------------------------------

describe('inferIdKind and checkIdNumber', () => {
  it.each([
    ['001090123456', 'cccd'],
    ['123456789', 'cmnd'],
    ['0100233488', 'mst'],
    ['0100233488001', 'mst'],
    ['0100233488-001', 'mst'],
    ['0100233488 - 001', 'mst'],
    ['C1234567', 'passport'],
    ['b12345678', 'passport'],
    ['', null],
    ['12345', null],
    ['12345678901', null],
    ['1234-5678', null],
  ])('infers the kind of %j as %s', (input, kind) => {
    expect(inferIdKind(input)).toBe(kind);
  });

  it('infers the kind of every generated id of each kind, and that kind accepts it', () => {
    const byKind: fc.Arbitrary<[IdKind, string]> = fc.oneof(
      fc
        .tuple(fc.constantFrom(...PROVINCES), fc.integer({ min: 1900, max: 2025 }), fc.nat(1), digits(6))
        .map(([p, y, g, s]): [IdKind, string] => ['cccd', cccdFor(p, y, g, s)]),
      digits(9)
        .filter((s) => new Set(s).size > 1)
        .map((s): [IdKind, string] => ['cmnd', s]),
      validMst.map((s): [IdKind, string] => ['mst', s]),
      fc.tuple(validMst, branch).map(([m, b]): [IdKind, string] => ['mst', `${m}-${b}`]),
      fc
        .tuple(fc.constantFrom(...UPPER), digits(7, 8))
        .map(([l, d]): [IdKind, string] => ['passport', `${l}${d}`]),
    );
    fc.assert(
      fc.property(byKind, ([kind, id]) => {
        expect(inferIdKind(id)).toBe(kind);
        expect(checkIdNumber(kind, id, NOW).ok).toBe(true);
      }),
    );
  });

  it('gives the same result as the kind-specific check', () => {
    const checks: Record<IdKind, (s: string) => CheckResult> = {
      cccd: (s) => checkCccd(s, NOW),
      cmnd: checkCmnd,
      mst: checkMst,
      passport: checkPassport,
    };
    fc.assert(
      fc.property(
        fc.constantFrom<IdKind>('cccd', 'cmnd', 'mst', 'passport'),
        fc.oneof(digits(0, 14), fc.string({ maxLength: 14 })),
        (kind, input) => {
          expect(checkIdNumber(kind, input, NOW)).toEqual(checks[kind](input));
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// zod
// ---------------------------------------------------------------------------------------------------------

describe('zIdentifier', () => {
  const Applicant = z.object({
    mst: zIdentifier(checkMst),
    phone: zIdentifier(checkPhone),
    cccd: zIdentifier((s) => checkCccd(s, NOW)),
    contact: z.object({ phone: zIdentifier(checkPhone).optional() }),
  });

  it('outputs the normal form of every field inside an object', () => {
    const result = Applicant.safeParse({
      mst: ' 0100233488 - 001 ',
      phone: '0912.345.678',
      cccd: '001090123456',
      contact: { phone: '(091) 234 5678' },
    });
    expect(result).toEqual({
      success: true,
      data: {
        mst: '0100233488-001',
        phone: '+84912345678',
        cccd: '001090123456',
        contact: { phone: '+84912345678' },
      },
    });
  });

  it('reports each failure as a custom issue with the check message, params.rule and the path', () => {
    const result = Applicant.safeParse({
      mst: '0100233489',
      phone: '0912345678',
      cccd: '001290123456',
      contact: { phone: '0112345678' },
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues).toHaveLength(3);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'custom',
          path: ['mst'],
          params: { rule: 'mst_check_digit' },
          message: 'MST 0100233489 has check digit 9 but 8 was expected',
        }),
        expect.objectContaining({
          code: 'custom',
          path: ['cccd'],
          params: { rule: 'cccd_birth_year' },
          message: 'CCCD birth year 2090 is in the future',
        }),
        expect.objectContaining({
          code: 'custom',
          path: ['contact', 'phone'],
          params: { rule: 'phone_prefix' },
        }),
      ]),
    );
  });

  it('agrees with the check function on arbitrary strings', () => {
    const schema = zIdentifier(checkS10);
    fc.assert(
      fc.property(fc.oneof(validS10, fc.string({ maxLength: 15 })), (input) => {
        const checked = checkS10(input);
        const parsed = schema.safeParse(input);
        if (checked.ok) {
          expect(parsed).toEqual({ success: true, data: checked.value });
        } else {
          expect(parsed.success).toBe(false);
          expect(parsed.error?.issues).toEqual([
            expect.objectContaining({
              code: 'custom',
              message: checked.message,
              params: { rule: checked.rule },
            }),
          ]);
        }
      }),
    );
  });

  it('refuses non-strings with zod invalid_type before running the check', () => {
    const result = Applicant.shape.phone.safeParse(912345678);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('invalid_type');
  });
});
