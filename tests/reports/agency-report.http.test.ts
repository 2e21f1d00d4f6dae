/**
 * The agency report against a hand count (docs/reports.md). The fixture month, November 2026, is built
 * through the real intake (pushes and status events with fixed past dates); the expected figures below
 * were counted by hand from the list of dossiers, not computed by the code under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCY,
  AGENCY_2,
  createTestGateway,
  dossierBody,
  json,
  type TestGateway,
} from '../helpers/gateway.js';

let gw: TestGateway;
let n = 0;

const DIGITISED = [{ name: 'Đơn', componentCode: 'TP1', sha256: 'a'.repeat(64), digitized: true }];
const PAPER = [{ name: 'Đơn', componentCode: 'TP1', sha256: 'b'.repeat(64), digitized: false }];
const AGENCY_B = { code: AGENCY_2, name: 'Sở Tư pháp tỉnh Bắc Ninh' };

async function dossier(o: Record<string, unknown>, steps: [string, string][] = []): Promise<string> {
  n += 1;
  const res = await gw.request('POST', '/v1/dossiers', {
    body: dossierBody({
      applicant: {
        type: 'citizen',
        fullName: `Người Nộp Số ${n}`,
        idNumber: `02709${String(1_000_000 + n).slice(-7)}`,
        address: { line: `Số ${n} đường Trần Hưng Đạo`, communeCode: '09187', provinceCode: '24' },
      },
      channel: 'counter',
      resultReturn: { method: 'counter' },
      documents: DIGITISED,
      ...o,
    }),
  });
  expect(res.status).toBe(201);
  const id = (await json(res)).id as string;
  for (const [status, at] of steps) {
    const e = await gw.request('POST', `/v1/dossiers/${id}/events`, { body: { status, at } });
    expect(e.status, `${status} at ${at}`).toBe(201);
  }
  return id;
}

const t = (day: string, time = '09:00') => `${day}T${time}:00+07:00`;

beforeAll(async () => {
  gw = await createTestGateway();
  // Agency A (AGENCY).
  // A1: online, digitised, due 10/11, resolved 09/11 (early), result by post; 5 working days.
  await dossier(
    {
      receivedAt: t('2026-11-02', '08:00'),
      dueAt: t('2026-11-10', '17:00'),
      channel: 'online',
      resultReturn: { method: 'postal' },
    },
    [
      ['processing', t('2026-11-02')],
      ['resolved', t('2026-11-09', '10:00')],
    ],
  );
  // A2: paper, due 13/11, resolved 13/11 16:00 (on time); 8 working days.
  await dossier({ receivedAt: t('2026-11-03', '08:00'), dueAt: t('2026-11-13', '17:00'), documents: PAPER }, [
    ['processing', t('2026-11-03')],
    ['resolved', t('2026-11-13', '16:00')],
  ]);
  // A3: one supplement request, due 12/11, resolved 16/11 (late); 8 working days.
  await dossier({ receivedAt: t('2026-11-04', '08:00'), dueAt: t('2026-11-12', '17:00') }, [
    ['processing', t('2026-11-04')],
    ['supplement_requested', t('2026-11-05', '10:00')],
    ['processing', t('2026-11-10')],
    ['resolved', t('2026-11-16', '10:00')],
  ]);
  // A4: online, due 20/11, still processing: overdue at the end of November.
  await dossier(
    { receivedAt: t('2026-11-05', '08:00'), dueAt: t('2026-11-20', '17:00'), channel: 'online' },
    [['processing', t('2026-11-05')]],
  );
  // A5: one paper document of two (not digitised), due 15/12: open, not overdue.
  await dossier(
    {
      receivedAt: t('2026-11-06', '08:00'),
      dueAt: t('2026-12-15', '17:00'),
      documents: [...DIGITISED, { ...PAPER[0], name: 'Bản vẽ' }],
    },
    [['processing', t('2026-11-06')]],
  );
  // A6: online, submitted, rejected the same day.
  await dossier(
    {
      receivedAt: t('2026-11-09', '08:00'),
      dueAt: t('2026-11-20', '17:00'),
      channel: 'online',
      status: 'submitted',
    },
    [['rejected', t('2026-11-09', '15:00')]],
  );
  // A7: digitised (the paper document was withdrawn from the dossier), withdrawn by the applicant.
  await dossier(
    {
      receivedAt: t('2026-11-10', '08:00'),
      dueAt: t('2026-11-24', '17:00'),
      documents: [...DIGITISED, { ...PAPER[0], deleted: true }],
    },
    [
      ['processing', t('2026-11-10')],
      ['withdrawn', t('2026-11-20')],
    ],
  );
  // A8: received in October, resolved 04/11 before its due 05/11 (early); 11 working days.
  await dossier({ receivedAt: t('2026-10-20', '08:00'), dueAt: t('2026-11-05', '17:00') }, [
    ['processing', t('2026-10-20')],
    ['resolved', t('2026-11-04', '10:00')],
  ]);
  // A9: received in October, due 30/10, still processing: overdue at the end of November.
  await dossier({ receivedAt: t('2026-10-15', '08:00'), dueAt: t('2026-10-30', '17:00') }, [
    ['processing', t('2026-10-15')],
  ]);
  // A10: received 25/11, resolved 02/12 (in December), due 05/12.
  await dossier({ receivedAt: t('2026-11-25', '08:00'), dueAt: t('2026-12-05', '17:00') }, [
    ['processing', t('2026-11-25')],
    ['resolved', t('2026-12-02')],
  ]);
  // A11: received 01/10, due 20/10, resolved only on 03/12: overdue at the end of November.
  await dossier({ receivedAt: t('2026-10-01', '08:00'), dueAt: t('2026-10-20', '17:00') }, [
    ['processing', t('2026-10-01')],
    ['resolved', t('2026-12-03')],
  ]);
  // Agency B (AGENCY_2).
  // B1: online, two supplement requests, due 18/11, resolved 23/11 (late); 5 working days.
  await dossier(
    {
      agency: AGENCY_B,
      receivedAt: t('2026-11-16', '08:00'),
      dueAt: t('2026-11-18', '17:00'),
      channel: 'online',
    },
    [
      ['processing', t('2026-11-16')],
      ['supplement_requested', t('2026-11-17')],
      ['processing', t('2026-11-18')],
      ['supplement_requested', t('2026-11-19')],
      ['processing', t('2026-11-20')],
      ['resolved', t('2026-11-23', '10:00')],
    ],
  );
  // B2: no documents, no dueAt (1.000001: 5 working days in config/procedures.json → 07/12).
  await dossier({
    agency: AGENCY_B,
    receivedAt: t('2026-11-30', '16:00'),
    dueAt: undefined,
    documents: [],
    fees: [],
    procedure: { code: '1.000001', name: 'Thủ tục khác' },
  });
  // B3: December.
  await dossier({ agency: AGENCY_B, receivedAt: t('2026-12-01', '08:00'), dueAt: t('2026-12-10', '17:00') });
});
afterAll(async () => {
  await gw.close();
});

const report = (query: string, key = gw.keys.operator) =>
  gw.request('GET', `/v1/ops/reports/agencies?${query}`, { key });

describe('GET /v1/ops/reports/agencies', () => {
  it('matches the hand count of November 2026', async () => {
    const res = await report('month=2026-11');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.period).toEqual({
      kind: 'month',
      name: '2026-11',
      from: '2026-11-01T00:00:00+07:00',
      to: '2026-12-01T00:00:00+07:00',
      asOf: '2026-12-01T00:00:00+07:00',
      current: false,
    });
    expect(body.agencies).toEqual([
      {
        agency: { code: AGENCY, name: 'Sở Xây dựng tỉnh Bắc Ninh' },
        received: 8,
        resolved: 4,
        resolvedEarly: 2,
        resolvedOnTime: 1,
        resolvedLate: 1,
        resolvedWithoutDue: 0,
        onTimeRate: 0.75,
        overdueInProgress: 3,
        supplementRequests: 1,
        rejections: 1,
        withdrawn: 1,
        postalReturns: 1,
        online: 3,
        onlineShare: 0.375,
        digitised: 6,
        digitisedShare: 0.75,
        averageWorkingDaysToResolve: 8,
      },
      {
        agency: AGENCY_B,
        received: 2,
        resolved: 1,
        resolvedEarly: 0,
        resolvedOnTime: 0,
        resolvedLate: 1,
        resolvedWithoutDue: 0,
        onTimeRate: 0,
        overdueInProgress: 0,
        supplementRequests: 2,
        rejections: 0,
        withdrawn: 0,
        postalReturns: 0,
        online: 1,
        onlineShare: 0.5,
        digitised: 1,
        digitisedShare: 0.5,
        averageWorkingDaysToResolve: 5,
      },
    ]);
  });

  it('counts a quarter and filters by agency', async () => {
    const body = await json(await report(`quarter=2026-Q4&agency=${AGENCY}`));
    expect(body.period.from).toBe('2026-10-01T00:00:00+07:00');
    expect(body.period.to).toBe('2027-01-01T00:00:00+07:00');
    const agencies = body.agencies as { agency: { code: string }; received: number; resolved: number }[];
    expect(agencies.map((a) => [a.agency.code, a.received, a.resolved])).toEqual([[AGENCY, 11, 6]]);
  });

  it('counts the current month up to now', async () => {
    const body = await json(await report('month=2027-01'));
    expect(body.period.current).toBe(true);
    expect(Date.parse(body.period.asOf)).toBeGreaterThan(Date.parse('2027-01-14T00:00:00+07:00'));
    // Open dossiers whose due day passed before today: A4, A5, A9 (A), B2, B3 (B).
    const overdue = (body.agencies as { agency: { code: string }; overdueInProgress: number }[]).map((a) => [
      a.agency.code,
      a.overdueInProgress,
    ]);
    expect(overdue).toEqual([
      [AGENCY, 3],
      [AGENCY_2, 2],
    ]);
  });

  it('writes the CSV with a BOM, CRLF and Vietnamese headers', async () => {
    const res = await gw.request('GET', '/v1/ops/reports/agencies.csv?month=2026-11', {
      key: gw.keys.operator,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('bao-cao-co-quan-2026-11.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]?.startsWith('Mã cơ quan,Tên cơ quan,Tiếp nhận,Đã giải quyết,Giải quyết trước hạn')).toBe(
      true,
    );
    expect(lines[1]).toBe(`${AGENCY},Sở Xây dựng tỉnh Bắc Ninh,8,4,2,1,1,0,0.75,3,1,1,1,1,3,0.375,6,0.75,8`);
    expect(lines[3]).toBe('');
  });

  it('is for operators only', async () => {
    expect((await report('month=2026-11', gw.keys.motcua)).status).toBe(403);
    expect((await report('month=2026-11', gw.keys.admin)).status).toBe(403);
  });

  it('refuses bad periods with a problem naming the parameter', async () => {
    for (const [query, path, rule] of [
      ['month=2026-13', 'query.month', 'month_format'],
      ['month=2026-1', 'query.month', 'month_format'],
      ['quarter=2026-Q5', 'query.quarter', 'quarter_format'],
      ['month=2027-02', 'query.month', 'period_in_future'],
      ['quarter=2027-Q2', 'query.quarter', 'period_in_future'],
      ['', 'query.month', 'month_or_quarter'],
      ['month=2026-11&quarter=2026-Q4', 'query.quarter', 'month_or_quarter'],
      ['month=2026-11&scope=all', 'query.scope', 'unknown_parameter'],
    ] as const) {
      for (const path0 of ['/v1/ops/reports/agencies', '/v1/ops/reports/agencies.csv']) {
        const res = await gw.request('GET', `${path0}?${query}`, { key: gw.keys.operator });
        expect(res.status, query).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const errors = (await json(res)).errors as { path: string; rule: string }[];
        expect(
          errors.map((e) => [e.path, e.rule]),
          query,
        ).toContainEqual([path, rule]);
      }
    }
  });
});
