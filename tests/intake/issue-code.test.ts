/** Dossier codes the gateway issues, and addresses checked against the operator's catalogue. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminUnitsFrom } from '../../src/intake/admin-units.js';
import { insertAlias } from '../../src/intake/alias.store.js';
import { checkAddresses } from '../../src/intake/check-addresses.js';
import { findDossier, insertDossier } from '../../src/intake/dossier.store.js';
import { issueCode, MAX_DAILY_SEQUENCE } from '../../src/intake/issue-code.js';
import { push } from '../../src/intake/push.js';
import { Unprocessable, Validation } from '../../src/lib/errors.js';
import {
  AGENCY,
  AGENCY_2,
  closeTestStore,
  countOf,
  input,
  inUnit,
  motcua,
  openTestStore,
  record,
  rejectionOf,
  type TestStore,
} from './intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const RECEIVED = Date.parse('2026-11-28T08:30:00+07:00');

describe('issueCode', () => {
  it('issues <agency>-<yyMMdd of receipt in Vietnam>-<4-digit sequence>, counting per agency and day', async () => {
    expect(await issueCode(s.db, AGENCY, RECEIVED)).toBe(`${AGENCY}-261128-0001`);
    expect(await issueCode(s.db, AGENCY, RECEIVED)).toBe(`${AGENCY}-261128-0002`);
    expect(await issueCode(s.db, AGENCY_2, RECEIVED)).toBe(`${AGENCY_2}-261128-0001`);
    // 17:30 UTC on the 28th is already the 29th in Vietnam
    expect(await issueCode(s.db, AGENCY, Date.parse('2026-11-28T17:30:00Z'))).toBe(`${AGENCY}-261129-0001`);
    expect(await issueCode(s.db, AGENCY, Date.parse('2026-11-28T23:59:59+07:00'))).toBe(
      `${AGENCY}-261128-0003`,
    );
  });

  it('skips a code a source used itself, as a dossier’s own code or as an alias', async () => {
    await insertDossier(s.db, record({ id: 'own', code: `${AGENCY}-261128-0001` }));
    await insertDossier(s.db, record({ id: 'other', code: 'OTHER' }));
    await insertAlias(s.db, { code: `${AGENCY}-261128-0002`, dossierId: 'other', system: 'xaydung' }, 1);
    expect(await issueCode(s.db, AGENCY, RECEIVED)).toBe(`${AGENCY}-261128-0003`);
    expect(await issueCode(s.db, AGENCY, RECEIVED)).toBe(`${AGENCY}-261128-0004`);
  });

  it('skips the own code of a dossier merged away', async () => {
    await insertDossier(s.db, record({ id: 'live', code: 'LIVE' }));
    await insertDossier(s.db, record({ id: 'gone', code: `${AGENCY}-261128-0001`, mergedInto: 'live' }));
    expect(await issueCode(s.db, AGENCY, RECEIVED)).toBe(`${AGENCY}-261128-0002`);
  });

  it('throws Unprocessable once the day’s counter has used every code', async () => {
    s.sqlite
      .prepare('INSERT INTO dossier_code_sequences (agency_code, day, last_seq) VALUES (?, ?, ?)')
      .run(AGENCY, '261128', MAX_DAILY_SEQUENCE - 1);
    expect(await issueCode(s.db, AGENCY, RECEIVED)).toBe(`${AGENCY}-261128-9999`);
    const error = await rejectionOf(issueCode(s.db, AGENCY, RECEIVED));
    expect(error).toBeInstanceOf(Unprocessable);
    expect((error as Error).message).toMatch(/261128/);
    expect(await issueCode(s.db, AGENCY, Date.parse('2026-11-29T08:00:00+07:00'))).toBe(
      `${AGENCY}-261129-0001`,
    );
  });
});

const catalogue = adminUnitsFrom({
  provinces: [
    { code: '24', name: 'Bắc Ninh', units: [{ code: '09187', name: 'Phường Kinh Bắc' }] },
    { code: '01', name: 'Hà Nội', units: [{ code: '00004', name: 'Phường Ba Đình' }] },
  ],
});

describe('checkAddresses', () => {
  it('checks nothing without a catalogue', () => {
    const body = input({
      applicant: { type: 'citizen', fullName: 'A', address: { communeCode: '99999', provinceCode: '77' } },
    });
    expect(() => checkAddresses(undefined, body)).not.toThrow();
  });

  it('fills in the province of a known commune', () => {
    const body = input({
      applicant: { type: 'citizen', fullName: 'A', address: { line: 'Số 1', communeCode: '00004' } },
    });
    checkAddresses(catalogue, body);
    expect(body.applicant.address).toEqual({ line: 'Số 1', communeCode: '00004', provinceCode: '01' });
  });

  it('lists every unknown province, unknown commune and mismatch in one Validation', () => {
    const body = input({
      applicant: { type: 'citizen', fullName: 'A', address: { communeCode: '09187', provinceCode: '01' } },
      resultReturn: { method: 'postal', address: { line: 'Số 2', communeCode: '99999', provinceCode: '77' } },
    });
    const error = (() => {
      try {
        checkAddresses(catalogue, body);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(Validation);
    expect((error as Validation).errors.map((e) => [e.path, e.rule])).toEqual([
      ['applicant.address.communeCode', 'commune_province_mismatch'],
      ['resultReturn.address.provinceCode', 'province_unknown'],
      ['resultReturn.address.communeCode', 'commune_unknown'],
    ]);
  });

  it('makes a push with an unknown unit fail before anything is written', async () => {
    const body = input({
      applicant: { type: 'citizen', fullName: 'A', address: { line: 'Số 3', communeCode: '99999' } },
    });
    const error = await rejectionOf(inUnit(s, (ctx) => push(ctx, motcua, body), { adminUnits: catalogue }));
    expect(error).toBeInstanceOf(Validation);
    expect(countOf(s, 'dossiers')).toBe(0);
  });

  it('stores the province it filled in on a pushed dossier', async () => {
    const body = input({
      applicant: { type: 'citizen', fullName: 'A', address: { line: 'Số 3', communeCode: '09187' } },
    });
    const created = await inUnit(s, (ctx) => push(ctx, motcua, body), { adminUnits: catalogue });
    expect((await findDossier(s.db, created.dossierId))?.data.applicant.address).toEqual({
      line: 'Số 3',
      communeCode: '09187',
      provinceCode: '24',
    });
  });
});
