/** An operator moves a dossier to another agency: the only way a dossier's agency changes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCY,
  AGENCY_2,
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

const move = (id: string, agency: unknown, key = gw.keys.operator) =>
  gw.request('POST', `/v1/ops/dossiers/${id}/agency`, { key, body: { agency } });

let applicants = 0;
/** A dossier of an applicant of its own (two of the same person from two systems would be held). */
async function pushed(recordId: string, key = gw.keys.xaydung): Promise<string> {
  applicants += 1;
  const applicant = {
    type: 'citizen',
    fullName: `Đỗ Văn ${['Bình', 'Cường', 'Đạt', 'Giang', 'Khánh', 'Long'][applicants] ?? 'Minh'}`,
    idNumber: `0270900${String(applicants).padStart(2, '0')}${['135', '579', '913', '357', '791', '246', '680'][applicants] ?? '000'}`,
    phone: `0912 000 ${String(100 + applicants * 37)}`,
    address: { line: `Số ${applicants} đường Trần Hưng Đạo`, communeCode: '09187', provinceCode: '24' },
  };
  const body = dossierBody({ source: { recordId }, applicant });
  const res = await gw.request('POST', '/v1/dossiers', { key, body });
  expect(res.status).toBe(201);
  return (await json(res)).id;
}

describe('POST /v1/ops/dossiers/{id}/agency', () => {
  it('moves the dossier, queues a portal update and logs who did it', async () => {
    const id = await pushed('MOVE-1');
    const res = await move(id, { code: OTHER_AGENCY, name: 'Sở Tư pháp' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ dossierId: id, links: { dossier: `/v1/dossiers/${id}` } });
    const read = await json(await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.operator }));
    expect(read.agency).toEqual({ code: OTHER_AGENCY, name: 'Sở Tư pháp' });
    expect(read.version).toBe(2);
    const updates = gw.sqlite
      .prepare("SELECT payload FROM transfers WHERE dossier_id = ? AND kind = 'dossier_sync' ORDER BY id")
      .all(id) as { payload: string }[];
    expect(updates.map((u) => JSON.parse(u.payload).op)).toEqual(['insert', 'update']);
    const log = gw.sqlite
      .prepare(
        "SELECT actor, data FROM reconciliation_log WHERE kind = 'ops.agency_moved' AND dossier_id = ?",
      )
      .all(id) as { actor: string; data: string }[];
    expect(log).toHaveLength(1);
    expect(log[0]?.actor).toMatch(/^operator:/);
    expect(JSON.parse(log[0]?.data ?? '{}')).toMatchObject({ from: AGENCY, to: OTHER_AGENCY });
  });

  it('takes the dossier out of reach of a department of the old agency that is not its source', async () => {
    const id = await pushed('MOVE-2', gw.keys.motcua);
    // The other department (OTHER_AGENCY) cannot see it before, and can after the move.
    expect((await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.other })).status).toBe(404);
    expect((await move(id, { code: OTHER_AGENCY, name: 'Sở Tư pháp' })).status).toBe(200);
    expect((await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.other })).status).toBe(200);
    // xaydung serves AGENCY and is no source of this dossier: it no longer sees it.
    expect((await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.xaydung })).status).toBe(404);
    // Its source still does, and may go on pushing its record; the push does not move it back.
    expect((await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.motcua })).status).toBe(200);
    const first = await json(await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.operator }));
    const again = dossierBody({
      source: { recordId: 'MOVE-2' },
      applicant: first.applicant,
      summary: 'Đã bổ sung',
    });
    const repush = await gw.request('POST', '/v1/dossiers', { key: gw.keys.motcua, body: again });
    expect(repush.status).toBe(200);
    const read = await json(await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.motcua }));
    expect(read).toMatchObject({ agency: { code: OTHER_AGENCY }, summary: 'Đã bổ sung' });
  });

  it('is an operator action: departments get 403 and nothing moves', async () => {
    const id = await pushed('MOVE-3', gw.keys.motcua);
    const res = await move(id, { code: AGENCY_2, name: 'Sở khác' }, gw.keys.motcua);
    expect(res.status).toBe(403);
    const read = await json(await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.operator }));
    expect(read.agency.code).toBe(AGENCY);
  });

  it('refuses an agency id that is not one, naming the field', async () => {
    const id = await pushed('MOVE-4');
    const res = await move(id, { code: 'H24', name: 'Sở' });
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'agency.code' })]);
  });

  it('answers 404 for an unknown dossier, and changes nothing when the agency is the same', async () => {
    expect((await move('no-such-dossier', { code: AGENCY, name: 'Sở' })).status).toBe(404);
    const id = await pushed('MOVE-5');
    const before = await json(await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.operator }));
    expect((await move(id, before.agency)).status).toBe(200);
    const after = await json(await gw.request('GET', `/v1/dossiers/${id}`, { key: gw.keys.operator }));
    expect(after.version).toBe(before.version);
  });
});
