/**
 * Dedup answers are scoped to the caller (docs/architecture.md, trust rules): a push never meets, merges
 * with or names a dossier of an agency the department does not act for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCY,
  createTestGateway,
  dossierBody,
  json,
  OTHER_AGENCY,
  type TestGateway,
} from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

/** An applicant of its own per test (so the tests' dossiers never meet each other). */
const applicant = (fullName: string, phone: string) => ({
  type: 'citizen',
  fullName,
  phone,
  address: { line: 'Thôn Đông Xuyên', communeCode: '09187', provinceCode: '24' },
});

/** A dossier of agency B (the other department's). */
async function agencyBDossier(recordId: string, person: Record<string, unknown>) {
  const res = await gw.request('POST', '/v1/dossiers', {
    key: gw.keys.other,
    body: dossierBody({
      source: { recordId },
      agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp' },
      applicant: person,
    }),
  });
  expect(res.status).toBe(201);
  return json(res);
}

/** Agency A's record of the same applicant, as its own department keys it. */
const agencyARecord = (recordId: string, person: Record<string, unknown>) =>
  gw.request('POST', '/v1/dossiers', {
    key: gw.keys.xaydung,
    body: dossierBody({
      source: { recordId },
      agency: { code: AGENCY, name: 'Sở Xây dựng' },
      applicant: person,
      receivedAt: '2026-11-28T10:00:00+07:00',
    }),
  });

describe('dedup within the dossier’s agency only', () => {
  it('answers 201 created to a record with only a name and phone matching another agency’s dossier, and names nothing of it', async () => {
    const person = applicant('Trần Thị Hoa', '0977 123 456');
    const b = await agencyBDossier('TP-SCOPE-1', { ...person, idNumber: '027185300111' });
    const res = await agencyARecord('XD-SCOPE-1', person);
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.outcome).toBe('created');
    const text = JSON.stringify(body);
    expect(text).not.toContain(b.id);
    expect(text).not.toContain(b.code);
    expect(body.review).toBeUndefined();
  });

  it('never merges across agencies: the same id number at another agency is a dossier of its own (201)', async () => {
    const person = { ...applicant('Lê Văn Nam', '0977 222 333'), idNumber: '027085300222' };
    const b = await agencyBDossier('TP-SCOPE-2', person);
    const res = await agencyARecord('XD-SCOPE-2', person);
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.id).not.toBe(b.id);
    expect(JSON.stringify(body)).not.toContain(b.code);
    expect((await gw.request('GET', `/v1/dossiers/${b.id}`, { key: gw.keys.xaydung })).status).toBe(404);
  });

  it('still holds the same look-alike within one agency for review (202), naming the candidate', async () => {
    const person = applicant('Đỗ Thu Hằng', '0977 444 555');
    const first = await json(
      await gw.request('POST', '/v1/dossiers', {
        key: gw.keys.motcua,
        body: dossierBody({
          source: { recordId: 'MC-SCOPE-3' },
          applicant: { ...person, idNumber: '027185300333' },
        }),
      }),
    );
    const res = await agencyARecord('XD-SCOPE-3', person);
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body.review.candidates.map((c: { dossierId: string }) => c.dossierId)).toEqual([first.id]);
  });
});
