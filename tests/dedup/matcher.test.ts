/**
 * The matcher's rules (docs/dedup.md) through the push use case, on a real SQLite file: candidates only
 * within the dossier's agency, the name veto, and identifiers that disagree going to review.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../schemas/config.js';
import { type DossierInput, DossierInputSchema } from '../../schemas/dossier.js';
import type { Principal } from '../../src/clients/client.service.js';
import { idRelation } from '../../src/dedup/similarity.js';
import { type PushResult, push } from '../../src/intake/push.js';
import { dossierBody } from '../helpers/gateway.js';
import {
  AGENCY,
  closeTestStore,
  countOf,
  DEDUP,
  inUnit,
  motcua,
  NOW,
  OTHER_AGENCY,
  openTestStore,
  type TestStore,
  tuphap,
  xaydung,
} from '../intake/intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const pushAs = (principal: Principal, body: DossierInput, now = NOW): Promise<PushResult> =>
  inUnit(s, (ctx) => push(ctx, principal, body), { now });

const CCCD = '027190482613';

/** A record as the one-stop clerk keys it (applicant details overridable). */
function oneStop(applicant: Record<string, unknown> = {}, over: Record<string, unknown> = {}) {
  return DossierInputSchema.parse(
    dossierBody({
      applicant: {
        type: 'citizen',
        fullName: 'Phạm Văn Dũng',
        idNumber: CCCD,
        phone: '0912 345 678',
        address: { line: 'Số 12 đường Lý Thái Tổ', communeCode: '09187', provinceCode: '24' },
        ...applicant,
      },
      documents: [],
      ...over,
    }),
  );
}

let records = 0;

/** The same dossier as the construction department's clerk keys it, an hour later (or as `over` says). */
function department(a: DossierInput, applicant: Record<string, unknown>, over: Record<string, unknown> = {}) {
  const { idNumber: _id, idKind: _kind, ...rest } = a.applicant;
  return DossierInputSchema.parse(
    dossierBody({
      applicant: { ...rest, ...applicant },
      source: { recordId: `XD-${++records}` },
      receivedAt: '2026-11-28T09:30:00+07:00',
      documents: [],
      ...over,
    }),
  );
}

function held(result: PushResult) {
  if (result.outcome !== 'held_for_review')
    throw new Error(`expected held_for_review, got ${result.outcome}`);
  return result;
}

describe('candidates only within the dossier’s agency', () => {
  it('never merges across agencies: the same applicant and procedure at another agency is a dossier of its own', async () => {
    const other = oneStop({}, { agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp tỉnh Lâm Đồng' } });
    const first = await pushAs(tuphap, other);
    const result = await pushAs(
      xaydung,
      department(other, { idNumber: CCCD }, { agency: { code: AGENCY, name: 'Sở Xây dựng' } }),
    );
    expect(result.outcome).toBe('created');
    expect(result.dossierId).not.toBe(first.dossierId);
    expect(countOf(s, 'dedup_reviews')).toBe(0);
  });

  it('does not hold a record for a look-alike of another agency (only a phone and a name in common)', async () => {
    const other = oneStop({}, { agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp tỉnh Lâm Đồng' } });
    await pushAs(tuphap, other);
    const result = await pushAs(
      xaydung,
      department(other, {}, { agency: { code: AGENCY, name: 'Sở Xây dựng' } }),
    );
    expect(result.outcome).toBe('created');
  });
});

describe('a different name vetoes an automatic merge', () => {
  it('holds the spouse keyed with the applicant’s id (same phone and address, another name) for review', async () => {
    const a = oneStop();
    const first = await pushAs(motcua, a);
    const result = held(await pushAs(xaydung, department(a, { idNumber: CCCD, fullName: 'Hoàng Thị Mai' })));
    const [candidate, ...rest] = result.review.candidates;
    expect(rest).toEqual([]);
    expect(candidate).toMatchObject({ dossierId: first.dossierId, autoMergeable: false });
    const name = candidate?.reasons.find((r) => r.field === 'name');
    expect(name?.similarity).toBe(0.587);
    expect(name?.note).toMatch(/vetoes an automatic merge/);
    expect(candidate?.score).toBe(0.806); // above the merge threshold: the score alone would have merged it
  });

  it('holds a household member whose given name differs by more than a typo (Lâm and Lan) for review', async () => {
    const a = oneStop({ fullName: 'Nguyễn Minh Lâm' });
    await pushAs(motcua, a);
    const result = held(
      await pushAs(xaydung, department(a, { idNumber: CCCD, fullName: 'Nguyễn Minh Lan' })),
    );
    const name = result.review.candidates[0]?.reasons.find((r) => r.field === 'name');
    expect(name).toMatchObject({ similarity: 0.938, note: expect.stringMatching(/vetoes/) });
    expect(result.review.candidates[0]?.score).toBeGreaterThanOrEqual(DEDUP.mergeThreshold);
  });

  it('merges the same person with one letter of a short given name mistyped', async () => {
    const a = oneStop({ fullName: 'Đặng Minh Vy' });
    const first = await pushAs(motcua, a);
    const result = await pushAs(xaydung, department(a, { idNumber: CCCD, fullName: 'Đặng Minh Cy' }));
    expect(result).toMatchObject({ outcome: 'merged', dossierId: first.dossierId });
  });

  it('still merges the same person whose name the second clerk wrote in capitals, without diacritics, given name first', async () => {
    const a = oneStop();
    const first = await pushAs(motcua, a);
    const result = await pushAs(xaydung, department(a, { idNumber: CCCD, fullName: 'DUNG PHAM VAN' }));
    expect(result).toMatchObject({ outcome: 'merged', dossierId: first.dossierId });
  });
});

describe('identifiers that disagree go to review, never to two silent dossiers nor a merge', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['the old 9-digit CMND on one side, the 12-digit CCCD on the other', { idNumber: '125345678' }, {}],
    ['two adjacent digits swapped', { idNumber: '027190486213' }, {}],
    ['one digit changed', { idNumber: '027190482618' }, {}],
    ['no id on the second record, keyed the next day', {}, { receivedAt: '2026-11-29T14:00:00+07:00' }],
    [
      'one digit changed, the name without diacritics and only the address in common',
      { idNumber: '027190482618', fullName: 'Pham Van Dung', phone: '0987 654 321' },
      {},
    ],
  ];
  for (const [name, applicant, over] of cases) {
    it(`${name}: held for review`, async () => {
      const a = oneStop();
      const first = await pushAs(motcua, a);
      const result = held(await pushAs(xaydung, department(a, applicant, over)));
      expect(result.review.candidates.map((c) => [c.dossierId, c.autoMergeable])).toEqual([
        [first.dossierId, false],
      ]);
      expect(result.review.candidates[0]?.reasons.find((r) => r.field === 'identifier')?.note).toMatch(
        /review/,
      );
    });
  }

  it('keeps apart a namesake with a different id at the same address (ids far apart)', async () => {
    const a = oneStop();
    await pushAs(motcua, a);
    const result = await pushAs(xaydung, department(a, { idNumber: '001085123456' }));
    expect(result.outcome).toBe('created');
  });

  it('keeps apart a record with a near id when neither phone nor address agree', async () => {
    const a = oneStop();
    await pushAs(motcua, a);
    const result = await pushAs(
      xaydung,
      department(a, {
        idNumber: '027190482618',
        phone: '0987 654 321',
        address: { line: 'Thôn Đông', communeCode: '07210', provinceCode: '24' },
      }),
    );
    expect(result.outcome).toBe('created');
  });
});

describe('the name veto’s configuration', () => {
  it('is DEDUP_NAME_VETO, 0.95 by default (one mistyped letter agrees, more vetoes), 0…1', () => {
    expect(DEDUP.nameVeto).toBe(0.95);
    expect(parseConfig({ DEDUP_NAME_VETO: '0.9' }).dedup.nameVeto).toBe(0.9);
    expect(() => parseConfig({ DEDUP_NAME_VETO: '1.5' })).toThrow(/DEDUP_NAME_VETO/);
  });
});

describe('idRelation', () => {
  it('tells the same id, a missing one, another kind, a typo and a different id apart', () => {
    const cccd = (n: string) => ({ number: n, kind: 'cccd' });
    expect(idRelation(cccd(CCCD), cccd(CCCD))).toBe('same');
    expect(idRelation(cccd(CCCD), { number: undefined, kind: undefined })).toBe('missing');
    expect(idRelation(cccd(CCCD), { number: '125345678', kind: 'cmnd' })).toBe('other_kind');
    expect(idRelation(cccd(CCCD), cccd('027190486213'))).toBe('typo');
    expect(idRelation(cccd(CCCD), cccd('027190482618'))).toBe('typo');
    expect(idRelation(cccd(CCCD), cccd('027190402618'))).toBe('typo');
    expect(idRelation(cccd(CCCD), cccd('027190402517'))).toBe('different');
    expect(idRelation(cccd(CCCD), cccd('001085123456'))).toBe('different');
  });
});
