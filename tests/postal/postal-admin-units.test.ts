/**
 * The receiver's address of a postal job against the 2025 administrative-unit catalogue the operator
 * configures (ADMIN_UNITS_PATH). The tests read the team's shared catalogue from beside the project
 * when it is there (it is not copied into the repository); without it they are skipped.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

const CATALOGUE = fileURLToPath(new URL('../../../shared/data/admin-units-2025.json', import.meta.url));
const present = existsSync(CATALOGUE);

let gw: TestGateway;
beforeAll(async () => {
  if (present) gw = await createTestGateway({ env: { ADMIN_UNITS_PATH: CATALOGUE } });
});
afterAll(async () => {
  await gw?.close();
});

async function resolvedWith(returnAddress: Record<string, unknown>): Promise<Response> {
  const body = dossierBody({ resultReturn: { method: 'postal', address: returnAddress } });
  const res = await gw.request('POST', '/v1/dossiers', { body });
  if (res.status !== 201) return res;
  const id = (await json(res)).id as string;
  for (const [status, at] of [
    ['processing', '2026-11-30T09:00:00+07:00'],
    ['resolved', '2026-12-01T10:00:00+07:00'],
  ]) {
    expect((await gw.request('POST', `/v1/dossiers/${id}/events`, { body: { status, at } })).status).toBe(
      201,
    );
  }
  return res;
}

describe.skipIf(!present)('postal jobs and the 2025 catalogue', () => {
  it('sends the job to a return address of a real 2025 commune, as given', async () => {
    const address = { line: 'Số 5 phố Phan Đình Phùng', communeCode: '00004', provinceCode: '01' };
    expect((await resolvedWith(address)).status).toBe(201);
    const [job] = (
      await json(await gw.request('POST', '/v1/postal/jobs/claim', { key: gw.keys.postal, body: {} }))
    ).jobs;
    expect(job.receiver.address).toMatchObject(address);
  });

  it('refuses a return address whose commune is not in its province, and makes no job', async () => {
    const before = count(gw, 'postal_jobs');
    const res = await resolvedWith({ line: 'Số 1', communeCode: '00004', provinceCode: '24' });
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toEqual([
      expect.objectContaining({ rule: 'commune_province_mismatch' }),
    ]);
    expect(count(gw, 'postal_jobs')).toBe(before);
  });
});
