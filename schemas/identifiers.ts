/**
 * Vietnamese identifiers: agency electronic ids, dossier and procedure codes, personal id numbers
 * (CCCD, CMND, passport), tax codes (MST), phone numbers and UPU S10 postal tracking numbers.
 *
 * Every check trims surrounding whitespace, then either returns the identifier's normal form or names
 * the rule it broke (a short, stable snake_case name) with a plain-English message. The functions are
 * pure and use only Web-standard JavaScript, so they run unchanged on Node and on Workers. `zIdentifier`
 * wraps any check as a zod string schema that outputs the normal form.
 */
import { z } from 'zod';

/** Kinds of personal identity number a dossier applicant can present. */
export type IdKind = 'cccd' | 'cmnd' | 'mst' | 'passport';

/** Outcome of a check: the normal form, or the broken rule with a message. */
export type CheckResult = { ok: true; value: string } | { ok: false; rule: string; message: string };

const ok = (value: string): CheckResult => ({ ok: true, value });
const fail = (rule: string, message: string): CheckResult => ({ ok: false, rule, message });

const AGENCY_ID_SOURCE = '\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}';

/** Anchored pattern of an agency electronic id such as `000.00.15.H56` (for documentation and OpenAPI). */
export const AGENCY_ID_PATTERN: RegExp = new RegExp(`^${AGENCY_ID_SOURCE}$`);

const DOSSIER_CODE_RE = new RegExp(`^(${AGENCY_ID_SOURCE})-(\\d{6})-(\\d{4})$`);
const PROCEDURE_CODE_RE = new RegExp(`^\\d\\.\\d{6}(?:\\.${AGENCY_ID_SOURCE})?$`);

/** Checks an agency electronic id `ddd.dd.dd.Ldd`, e.g. `000.00.15.H56`. */
export function checkAgencyId(input: string): CheckResult {
  const s = input.trim();
  if (!AGENCY_ID_PATTERN.test(s)) {
    return fail(
      'agency_id_format',
      `Agency id "${s}" does not match ddd.dd.dd.Ldd (three digit groups and an uppercase letter with two digits)`,
    );
  }
  return ok(s);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when `yyMMdd` names a real calendar day of the years 2000–2099. */
function isRealYyMmDd(date: string): boolean {
  const year = 2000 + Number(date.slice(0, 2));
  const month = Number(date.slice(2, 4));
  const day = Number(date.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Checks a dossier code `<agency id>-<yyMMdd>-<0001–9999>`, e.g. `000.00.15.H56-250101-0001`. */
export function checkDossierCode(input: string): CheckResult {
  const s = input.trim();
  const m = DOSSIER_CODE_RE.exec(s);
  const date = m?.[2];
  const sequence = m?.[3];
  if (date === undefined || sequence === undefined) {
    return fail(
      'dossier_code_format',
      `Dossier code "${s}" does not match <agency id>-<yyMMdd>-<4-digit sequence>, e.g. 000.00.15.H56-250101-0001`,
    );
  }
  if (!isRealYyMmDd(date)) {
    return fail('dossier_code_date', `Dossier code date ${date} is not a real calendar date (yyMMdd)`);
  }
  if (sequence === '0000') {
    return fail('dossier_code_sequence', 'Dossier code sequence must be between 0001 and 9999, not 0000');
  }
  return ok(s);
}

/** Splits a valid dossier code into agency id, yyMMdd date and sequence number; null when invalid. */
export function parseDossierCode(input: string): { agencyId: string; date: string; sequence: number } | null {
  const checked = checkDossierCode(input);
  if (!checked.ok) return null;
  const m = DOSSIER_CODE_RE.exec(checked.value);
  if (m === null) return null;
  const [, agencyId = '', date = '', sequence = ''] = m;
  return { agencyId, date, sequence: Number(sequence) };
}

/** Checks a procedure code `d.dddddd` with an optional `.<agency id>` suffix, e.g. `2.000477`. */
export function checkProcedureCode(input: string): CheckResult {
  const s = input.trim();
  if (!PROCEDURE_CODE_RE.test(s)) {
    return fail(
      'procedure_code_format',
      `Procedure code "${s}" does not match d.dddddd with an optional .<agency id> suffix, e.g. 2.000477`,
    );
  }
  return ok(s);
}

/** The 63 province codes (pre-2025 provinces) a CCCD can start with. */
const CCCD_PROVINCES: ReadonlySet<string> = new Set(
  (
    '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 ' +
    '040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 ' +
    '083 084 086 087 089 091 092 093 094 095 096'
  ).split(' '),
);

/** Oldest plausible age, in years, of a CCCD holder. */
const CCCD_MAX_AGE = 130;

/** Checks a CCCD citizen id: 12 digits, known province, plausible birth year relative to `now`. */
export function checkCccd(input: string, now: Date = new Date()): CheckResult {
  const s = input.trim();
  if (!/^\d{12}$/.test(s)) {
    return fail('cccd_format', 'CCCD must be exactly 12 digits');
  }
  const province = s.slice(0, 3);
  if (!CCCD_PROVINCES.has(province)) {
    return fail('cccd_province', `CCCD province code ${province} is not a known province code`);
  }
  const centuryDigit = Number(s[3]);
  const birthYear = 1900 + Math.floor(centuryDigit / 2) * 100 + Number(s.slice(4, 6));
  const referenceYear = now.getFullYear();
  if (birthYear > referenceYear) {
    return fail('cccd_birth_year', `CCCD birth year ${birthYear} is in the future`);
  }
  if (birthYear < referenceYear - CCCD_MAX_AGE) {
    return fail(
      'cccd_birth_year',
      `CCCD birth year ${birthYear} is more than ${CCCD_MAX_AGE} years before ${referenceYear}`,
    );
  }
  return ok(s);
}

/** Checks an old 9-digit CMND id number (not all the same digit). */
export function checkCmnd(input: string): CheckResult {
  const s = input.trim();
  if (!/^\d{9}$/.test(s)) {
    return fail('cmnd_format', 'CMND must be exactly 9 digits');
  }
  if (/^(\d)\1{8}$/.test(s)) {
    return fail('cmnd_format', 'CMND cannot be the same digit repeated nine times');
  }
  return ok(s);
}

const MST_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/** The MST check digit (10th digit) for the first nine digits; null when no valid check digit exists. */
export function mstCheckDigit(first9: string): number | null {
  if (!/^\d{9}$/.test(first9)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    sum += Number(first9[i]) * (MST_WEIGHTS[i] ?? 0);
  }
  const remainder = sum % 11;
  // A remainder of 0 would need check digit 10, which a single digit cannot hold.
  if (remainder === 0) return null;
  return 10 - remainder;
}

/** Checks an MST tax code: 10 digits, or 13 for a branch; normal form `0100233488` or `0100233488-001`. */
export function checkMst(input: string): CheckResult {
  const s = input.trim();
  const m = /^(\d{10})(?:\s*-\s*(\d{3})|(\d{3}))?$/.exec(s);
  const main = m?.[1];
  if (m === null || main === undefined) {
    return fail('mst_format', 'MST must be 10 digits, or 13 digits for a branch (0100233488-001)');
  }
  const expected = mstCheckDigit(main.slice(0, 9));
  if (expected === null) {
    return fail('mst_check_digit', `MST ${main} cannot be valid: its first nine digits admit no check digit`);
  }
  if (expected !== Number(main[9])) {
    return fail('mst_check_digit', `MST ${main} has check digit ${main[9]} but ${expected} was expected`);
  }
  const branch = m[2] ?? m[3];
  if (branch === undefined) return ok(main);
  if (branch === '000') {
    return fail('mst_branch', 'MST branch suffix must be between 001 and 999, not 000');
  }
  return ok(`${main}-${branch}`);
}

/** Checks a passport number (Vietnamese letter + 7–8 digits, or 6–9 alphanumerics); normal form uppercase. */
export function checkPassport(input: string): CheckResult {
  const s = input.trim().replace(/\s+/g, '').toUpperCase();
  // A Vietnamese passport (one letter + 7 or 8 digits) is also 8–9 alphanumerics, so one pattern covers both.
  if (!/^[A-Z0-9]{6,9}$/.test(s)) {
    return fail('passport_format', 'Passport number must be 6 to 9 letters or digits, e.g. C1234567');
  }
  return ok(s);
}

/** Checks a Vietnamese mobile or landline number in any common notation; normal form is E.164 (+84…). */
export function checkPhone(input: string): CheckResult {
  const s = input.trim();
  const formatFailure = fail(
    'phone_format',
    `Phone number "${s}" is not a Vietnamese number (10-digit mobile or 11-digit landline, optionally +84)`,
  );
  if (!/^\+?[\d\s.()-]+$/.test(s)) return formatFailure;
  // Parentheses, if any, must be one balanced pair.
  const open = s.indexOf('(');
  const close = s.indexOf(')');
  if (open !== s.lastIndexOf('(') || close !== s.lastIndexOf(')') || open > close || open < 0 !== close < 0) {
    return formatFailure;
  }
  const compact = s.replace(/[\s.()-]/g, '');
  let national: string;
  if (compact.startsWith('+84')) national = `0${compact.slice(3)}`;
  else if (compact.startsWith('+')) return formatFailure;
  else if (compact.startsWith('0084')) national = `0${compact.slice(4)}`;
  else if (compact.startsWith('84')) national = `0${compact.slice(2)}`;
  else if (compact.startsWith('0')) national = compact;
  else return formatFailure;
  if (national.length !== 10 && national.length !== 11) return formatFailure;
  const mobile = /^0[35789]\d{8}$/.test(national);
  const landline = /^02\d{9}$/.test(national);
  if (!mobile && !landline) {
    return fail(
      'phone_prefix',
      `Phone number prefix ${national.slice(0, 3)} is neither a mobile (03, 05, 07, 08, 09 + 8 digits) nor a landline (02 + 9 digits)`,
    );
  }
  return ok(`+84${national.slice(1)}`);
}

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** The UPU S10 check digit for an 8-digit serial number (throws RangeError on anything else). */
export function s10CheckDigit(serial8: string): number {
  if (!/^\d{8}$/.test(serial8)) throw new RangeError('S10 serial must be exactly 8 digits');
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    sum += Number(serial8[i]) * (S10_WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  if (check === 10) return 0;
  if (check === 11) return 5;
  return check;
}

/** Checks a UPU S10 postal tracking number such as `EB123456785VN`; normal form uppercase without spaces. */
export function checkS10(input: string): CheckResult {
  const s = input.trim().replace(/\s+/g, '').toUpperCase();
  const m = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/.exec(s);
  const serial = m?.[1];
  const check = m?.[2];
  if (serial === undefined || check === undefined) {
    return fail(
      's10_format',
      'S10 tracking number must be 2 letters, 9 digits and 2 letters, e.g. EB123456785VN',
    );
  }
  const expected = s10CheckDigit(serial);
  if (expected !== Number(check)) {
    return fail(
      's10_check_digit',
      `S10 tracking number has check digit ${check} but ${expected} was expected`,
    );
  }
  return ok(s);
}

/** Guesses the kind of an id number from its shape alone (no check digits); null when nothing fits. */
export function inferIdKind(input: string): IdKind | null {
  const s = input.trim();
  if (/^\d{12}$/.test(s)) return 'cccd';
  if (/^\d{9}$/.test(s)) return 'cmnd';
  if (/^\d{10}(?:\d{3}|\s*-\s*\d{3})?$/.test(s)) return 'mst';
  const compact = s.replace(/\s+/g, '').toUpperCase();
  if (/^[A-Z][A-Z0-9]{5,8}$/.test(compact)) return 'passport';
  return null;
}

/** Checks an id number of the given kind. */
export function checkIdNumber(kind: IdKind, input: string, now?: Date): CheckResult {
  switch (kind) {
    case 'cccd':
      return checkCccd(input, now);
    case 'cmnd':
      return checkCmnd(input);
    case 'mst':
      return checkMst(input);
    case 'passport':
      return checkPassport(input);
  }
}

/** A zod string schema that validates with `check` and outputs the normal form; issues carry `params.rule`. */
export function zIdentifier(
  check: (s: string) => CheckResult,
): z.ZodPipe<z.ZodString, z.ZodTransform<string, string>> {
  return z.string().transform((s, ctx) => {
    const result = check(s);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message, params: { rule: result.rule }, input: s });
    return z.NEVER;
  });
}

/** The instants the gateway accepts: 2000-01-01 to 2100-12-31, Vietnam time (docs/domain.md). */
export const INSTANT_RANGE = {
  from: Date.parse('2000-01-01T00:00:00+07:00'),
  to: Date.parse('2100-12-31T23:59:59.999+07:00'),
} as const;

/**
 * An ISO 8601 date-time with an offset, inside `INSTANT_RANGE`. A year like 9999 is a typo, not a date:
 * stored, it would overflow the portal's format and block the dossier's transfers.
 */
export function zInstant() {
  return z.iso.datetime({ offset: true, local: false }).refine(
    (v) => {
      const ms = Date.parse(v);
      return ms >= INSTANT_RANGE.from && ms <= INSTANT_RANGE.to;
    },
    { message: 'dates must lie between 2000-01-01 and 2100-12-31', params: { rule: 'date_range' } },
  );
}

/**
 * The character set of each kind of key the API takes (docs/domain.md): a record id or a code is a
 * key, not free text, so it has no spaces, no control or invisible characters and no letters that look
 * alike in two scripts; what a system sends is matched and shown exactly as given.
 */
const TOKENS = {
  /** A source system's own record id (`VBD-2026-000123`, `HS/2026/123`, `000.00.15.H24-261128-0001`). */
  record_id_format: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._:~/-]*$/,
    message: 'a record id is ASCII letters, digits and . _ : ~ / - (starting with a letter or digit)',
  },
  /** A catalogue code (sector, document component, fee): `G01`, `1.000.00`, `LP-01`. */
  code_format: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._/-]*$/,
    message: 'a code is ASCII letters, digits and . _ / - (starting with a letter or digit)',
  },
  /** A source system name, as API clients are bound to one. */
  system_name_format: {
    pattern: /^[a-z0-9][a-z0-9._-]*$/,
    message: 'system names are lower-case letters, digits, ".", "_" or "-"',
  },
  /** An id the gateway issued (dossiers, reviews, clients: UUIDs). */
  id_format: { pattern: /^[A-Za-z0-9][A-Za-z0-9-]*$/, message: 'an id is ASCII letters, digits and -' },
} as const;

export type TokenRule = keyof typeof TOKENS;

/** A key of one kind (see `TOKENS`), 1 to `max` characters, refused by its own rule otherwise. */
export function zToken(rule: TokenRule, max: number) {
  const { pattern, message } = TOKENS[rule];
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => pattern.test(v), { message, params: { rule } });
}

/** The `{id}` path parameter of every route that names something the gateway issued. */
export const IdParamsSchema = z.object({ id: zToken('id_format', 100) });

/**
 * An optional query filter for which an empty value (`?agency=`) means "not given", as in the filter
 * templates operators copy (docs/api-errors.md); any other value is checked by `schema`.
 */
export function blankIsAbsent<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
}
