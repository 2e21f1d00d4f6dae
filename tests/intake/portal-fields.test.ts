/**
 * The canonical fields the national portal needs (issue #12): results, document reuse and deletion,
 * the applicant's portal account, submission, online payment, national databases, and a status step's
 * own dates. Each is accepted, checked like the rest, stored in NFC, answered and frozen in the portal
 * payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

const payloadsOf = (id: string, kind: string) =>
  (
    gw.sqlite
      .prepare('SELECT payload FROM transfers WHERE dossier_id = ? AND kind = ? ORDER BY seq')
      .all(id, kind) as { payload: string }[]
  ).map((r) => JSON.parse(r.payload) as Record<string, any>);

/** An online dossier with every portal field the canonical model carries. */
function onlineBody(overrides: Record<string, unknown> = {}) {
  const base = dossierBody();
  return {
    ...base,
    channel: 'online',
    applicant: { ...(base.applicant as object), portalAccountId: 'DVCQG-0012345', vneidVerified: true },
    submittedAt: '2026-11-27T21:15:00+07:00',
    submissionPlace: 'Cổng Dịch vụ công quốc gia'.normalize('NFD'),
    documents: [
      {
        name: 'Đơn đề nghị cấp giấy phép xây dựng',
        componentCode: 'TP1',
        id: 'TEP-2026-000871',
        sha256: 'a'.repeat(64),
        digitized: true,
        url: 'https://tep.example/ho-so/don.pdf',
        fromNationalStore: false,
      },
      { name: 'Giấy chứng nhận quyền sử dụng đất', componentCode: 'TP2', digitized: true, reused: true },
      {
        name: 'Bản sao giấy phép cũ',
        componentCode: 'TP3',
        digitized: true,
        reusedResultCode: 'KQ-2024-00031',
      },
      { name: 'Bản vẽ nộp nhầm', componentCode: 'TP4', digitized: false, deleted: true },
    ],
    fees: [{ code: 'LPXD', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75000, paid: true }],
    onlinePayment: 'national_portal',
    nationalDatabases: ['CSDLQGDC', 'CSDL-DAT-DAI'],
    results: [
      {
        name: 'Giấy phép xây dựng số 125/GPXD'.normalize('NFD'),
        componentCode: 'KQ1',
        documentId: 'GP-2026-125',
        url: 'https://tep.example/ket-qua/gpxd-125.pdf',
        resultCode: 'GPXD-125',
      },
    ],
    ...overrides,
  };
}

describe('portal fields of a pushed dossier', () => {
  it('are stored in NFC, answered, and frozen in the portal sync payload', async () => {
    const res = await gw.request('POST', '/v1/dossiers', { body: onlineBody() });
    expect(res.status).toBe(201);
    const d = await json(res);
    expect(d).toMatchObject({
      channel: 'online',
      applicant: { portalAccountId: 'DVCQG-0012345', vneidVerified: true },
      submittedAt: '2026-11-27T21:15:00+07:00',
      submissionPlace: 'Cổng Dịch vụ công quốc gia'.normalize('NFC'),
      onlinePayment: 'national_portal',
      nationalDatabases: ['CSDLQGDC', 'CSDL-DAT-DAI'],
      results: [{ name: 'Giấy phép xây dựng số 125/GPXD'.normalize('NFC'), resultCode: 'GPXD-125' }],
      fees: [{ amount: 75000, paid: true }],
    });
    expect(d.documents.map((doc: Record<string, unknown>) => [doc.id, doc.reused, doc.deleted])).toEqual([
      ['TEP-2026-000871', undefined, undefined],
      [undefined, true, undefined],
      [undefined, undefined, undefined],
      [undefined, undefined, true],
    ]);
    expect(d.documents[2].reusedResultCode).toBe('KQ-2024-00031');
    const again = await json(await gw.request('GET', `/v1/dossiers/${d.id}`));
    expect(again.results).toEqual(d.results);
    const [sync] = payloadsOf(d.id, 'dossier_sync');
    expect(sync?.dossier).toMatchObject({
      submittedAt: '2026-11-27T21:15:00+07:00',
      submissionPlace: 'Cổng Dịch vụ công quốc gia'.normalize('NFC'),
      onlinePayment: 'national_portal',
      nationalDatabases: ['CSDLQGDC', 'CSDL-DAT-DAI'],
      results: d.results,
      documents: d.documents,
      applicant: { portalAccountId: 'DVCQG-0012345', vneidVerified: true },
    });
  });

  it.each([
    [
      'a result link that is not http(s)',
      { results: [{ name: 'GP', url: 'ftp://tep.example/gp.pdf' }] },
      'results.0.url',
    ],
    [
      'a result code with a space',
      { results: [{ name: 'GP', resultCode: 'GP 125' }] },
      'results.0.resultCode',
    ],
    ['a database code with a look-alike letter', { nationalDatabases: ['CSDLQGDС'] }, 'nationalDatabases.0'],
    ['an unknown online payment', { onlinePayment: 'cash' }, 'onlinePayment'],
    [
      'a portal account id with a space',
      { applicant: { type: 'citizen', fullName: 'A', portalAccountId: 'tk 1' } },
      'applicant.portalAccountId',
    ],
    [
      'a document id with a control character',
      { documents: [{ name: 'Đơn', id: 'TEP\u0007', digitized: true }] },
      'documents.0.id',
    ],
    ['a submission place made of a bidi control', { submissionPlace: 'Quầy \u202e1' }, 'submissionPlace'],
  ])('refuse %s', async (_, override, path) => {
    const res = await gw.request('POST', '/v1/dossiers', { body: onlineBody(override) });
    expect(res.status).toBe(400);
    expect((await json(res)).errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('refuse a reused result on a document that says it was not reused', async () => {
    const body = onlineBody({
      documents: [{ name: 'Bản sao', digitized: true, reused: false, reusedResultCode: 'KQ-1' }],
    });
    const res = await gw.request('POST', '/v1/dossiers', { body });
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toEqual([
      expect.objectContaining({ path: 'documents.0.reusedResultCode', rule: 'reused_result_code' }),
    ]);
  });

  it('refuse a submission later than the reception', async () => {
    const res = await gw.request('POST', '/v1/dossiers', {
      body: onlineBody({ submittedAt: '2026-11-28T09:00:00+07:00' }),
    });
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toEqual([
      expect.objectContaining({ path: 'submittedAt', rule: 'submitted_before_received' }),
    ]);
  });
});

describe("a status step's own dates", () => {
  it('travel with the progress record only, and a deadline before the start is refused', async () => {
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    const bad = await gw.request('POST', `/v1/dossiers/${d.id}/events`, {
      body: {
        status: 'processing',
        at: '2026-11-29T09:00:00+07:00',
        stepStartedAt: '2026-11-29T09:00:00+07:00',
        stepDueAt: '2026-11-29T08:00:00+07:00',
      },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors).toEqual([
      expect.objectContaining({ path: 'stepDueAt', rule: 'step_due_after_start' }),
    ]);
    const ok = await gw.request('POST', `/v1/dossiers/${d.id}/events`, {
      body: {
        status: 'processing',
        at: '2026-11-29T09:00:00+07:00',
        stepStartedAt: '2026-11-29T09:00:00+07:00',
        stepDueAt: '2026-12-02T17:00:00+07:00',
      },
    });
    expect(ok.status).toBe(201);
    const [progress] = payloadsOf(d.id, 'progress');
    expect(progress).toMatchObject({
      stepStartedAt: '2026-11-29T09:00:00+07:00',
      stepDueAt: '2026-12-02T17:00:00+07:00',
    });
    const after = await json(await gw.request('GET', `/v1/dossiers/${d.id}`));
    expect(after.dueAt).toBe(d.dueAt);
  });
});
