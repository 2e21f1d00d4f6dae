/**
 * Portal payload guard: a fixed scenario is driven through a fresh gateway's HTTP app with a hand-moved
 * clock; then every row of `transfers` (in id order) is listed with the outbox payload as stored and the
 * wire object the real portal mapper makes of it, and the list must equal the committed
 * tests/fixtures/portal-payloads.json character for character.
 *
 * The scenario: a new dossier (applicant address and portal account, online submission and payment,
 * documents reused or withdrawn, fees, national databases, results, postal return); a re-push by the same
 * system that changes a field; the same dossier pushed by a second system with the same id number
 * (automatic dual-entry merge); status events (processing with the step's own dates, an older event that is only recorded,
 * resolved, returned); a possible duplicate held for review then kept apart; another held then merged by
 * the operator; and an automatic merge that the operator splits.
 *
 * Gateway-generated dossier ids are random: each distinct one is replaced by `<dossier-N>` in order of
 * first appearance, and nothing else is changed.
 *
 * This test only compares. When a change of the portal payloads is intended, regenerate the fixture
 * deliberately, review the diff and commit it together with the change:
 *   PORTAL_PAYLOADS_FIXTURE=write npx vitest run tests/transfers/portal-payloads.snapshot.test.ts
 * (refused when CI is set, so a pipeline can never rewrite it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalMapper } from '../../mappings/portal/index.js';
import type { Clock } from '../../src/lib/time.js';
import { AGENCY, createTestGateway, json, type TestGateway } from '../helpers/gateway.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/portal-payloads.json', import.meta.url));
const WRITE = process.env.PORTAL_PAYLOADS_FIXTURE === 'write';

/** The clock only moves when the scenario moves it. */
let nowMs = Date.parse('2026-12-02T02:00:00Z');
const clock: Clock = { now: () => nowMs };
const tick = (minutes = 1) => {
  nowMs += minutes * 60_000;
};

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway({ clock });
});
afterAll(async () => {
  await gw.close();
});

type Body = Record<string, unknown>;

async function call(
  method: string,
  path: string,
  expected: number,
  options: { key?: string; body?: unknown } = {},
): Promise<Record<string, any>> {
  tick();
  const res = await gw.request(method, path, options);
  const answer = await json(res);
  expect(res.status, `${method} ${path}: ${JSON.stringify(answer)}`).toBe(expected);
  return answer;
}

const push = (body: Body, expected: number, key?: string) =>
  call('POST', '/v1/dossiers', expected, { body, ...(key ? { key } : {}) });

/** One applicant's dossier as the one-stop clerk keys it. */
function oneStop(n: {
  recordId: string;
  procedure: [string, string];
  fullName: string;
  idNumber: string;
  phone: string;
  line: string;
  communeCode: string;
  receivedAt: string;
  dueAt: string;
}): Body {
  return {
    source: { recordId: n.recordId },
    procedure: { code: n.procedure[0], name: n.procedure[1] },
    sector: { code: 'XD', name: 'Xây dựng' },
    agency: { code: AGENCY, name: 'Sở Xây dựng tỉnh Bắc Ninh' },
    applicant: {
      type: 'citizen',
      fullName: n.fullName,
      idNumber: n.idNumber,
      phone: n.phone,
      address: { line: n.line, communeCode: n.communeCode, provinceCode: '24' },
    },
    summary: 'Xin cấp phép xây dựng nhà ở',
    channel: 'counter',
    receivedAt: n.receivedAt,
    dueAt: n.dueAt,
    status: 'received',
    resultReturn: { method: 'counter' },
    documents: [{ name: 'Đơn đề nghị', componentCode: 'TP1', sha256: 'b'.repeat(64), digitized: true }],
    fees: [{ code: 'LPXD', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75000 }],
  };
}

/** The same dossier as the construction department's clerk keys it: other spelling, phone form, time. */
function construction(a: Body, recordId: string, overrides: Body = {}): Body {
  const { code: _code, source: _source, ...rest } = a;
  const applicant = a.applicant as Body;
  return {
    ...rest,
    source: { recordId },
    applicant: {
      ...applicant,
      fullName: String(applicant.fullName).toUpperCase(),
      phone: `+84${String(applicant.phone).replace(/\s/g, '').slice(1)}`,
    },
    summary: 'Cấp phép xây dựng nhà ở',
    ...overrides,
  };
}

async function scenario(): Promise<void> {
  const { motcua, xaydung, operator } = gw.keys;

  // 1. A new dossier with everything the portal object carries; the gateway issues its code.
  const first: Body = {
    source: { recordId: 'MC-SNAP-0001' },
    procedure: { code: '1.004227', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ' },
    sector: { code: 'XD', name: 'Xây dựng' },
    agency: { code: AGENCY, name: 'Sở Xây dựng tỉnh Bắc Ninh' },
    applicant: {
      type: 'citizen',
      fullName: 'Nguyễn Văn An',
      idNumber: '027090123456',
      phone: '0912 345 678',
      email: 'an.nguyen@example.vn',
      address: { line: 'Số 12 đường Lý Thái Tổ', communeCode: '09187', provinceCode: '24' },
      portalAccountId: 'CD-1188273',
      vneidVerified: true,
    },
    summary: 'Xin cấp phép xây dựng nhà ở 3 tầng',
    channel: 'counter',
    submittedAt: '2026-11-27T21:40:00+07:00',
    submissionPlace: 'Bộ phận Một cửa tỉnh Bắc Ninh',
    receivedAt: '2026-11-28T08:30:00+07:00',
    dueAt: '2026-12-12T17:00:00+07:00',
    status: 'received',
    resultReturn: {
      method: 'postal',
      address: { line: 'Số 5 ngõ 3 phố Ngô Gia Tự', communeCode: '09190', provinceCode: '24' },
    },
    documents: [
      {
        name: 'Đơn đề nghị cấp giấy phép xây dựng',
        componentCode: 'TP1',
        sha256: 'a'.repeat(64),
        digitized: true,
        url: 'https://tep.example/ho-so/don-de-nghi.pdf',
      },
      { name: 'Bản vẽ thiết kế', componentCode: 'TP2', digitized: false },
      {
        name: 'Giấy chứng nhận quyền sử dụng đất',
        componentCode: 'TP3',
        id: 'TEP-2026-000871',
        digitized: true,
        reused: true,
        fromNationalStore: true,
      },
      { name: 'Giấy phép cũ', componentCode: 'TP4', digitized: true, reusedResultCode: 'GPXD-2019-044' },
      { name: 'Bản vẽ nộp nhầm', digitized: false, deleted: true },
    ],
    fees: [
      { code: 'LPXD', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75000, paid: true },
      { name: 'Phí thẩm định', amount: 120000 },
    ],
    onlinePayment: 'local_gateway',
    nationalDatabases: ['CSDLQGDC'],
    results: [
      {
        name: 'Giấy phép xây dựng số 311/GPXD',
        componentCode: 'KQ1',
        documentId: 'GPXD-2026-311',
        url: 'https://tep.example/ket-qua/gpxd-311.pdf',
        resultCode: 'GPXD-311',
      },
    ],
    note: 'Nộp tại quầy số 3',
  };
  const d1 = await push(first, 201);
  expect(d1.outcome).toBe('created');

  // 2. The same system pushes the same record again with a changed field: an update.
  const changed = { ...first, summary: 'Xin cấp phép xây dựng nhà ở 4 tầng' };
  expect((await push(changed, 200)).outcome).toBe('updated');

  // 3. The construction department's system keys the same dossier, same id number: merged automatically.
  const dual = construction(first, 'XD-SNAP-0001', { receivedAt: '2026-11-28T10:15:00+07:00' });
  const merged = await push(dual, 200, xaydung);
  expect(merged).toMatchObject({ outcome: 'merged', id: d1.id });

  // 4. Status events: processing; an older event (only recorded); resolved; returned.
  const processing = await call('POST', `/v1/dossiers/${d1.id}/events`, 201, {
    key: motcua,
    body: {
      status: 'processing',
      at: '2026-11-29T09:00:00+07:00',
      note: 'Chuyển phòng chuyên môn',
      officer: { name: 'Trần Thị Bình', title: 'Chuyên viên', unit: 'Phòng Quản lý xây dựng' },
      stepStartedAt: '2026-11-29T09:00:00+07:00',
      stepDueAt: '2026-12-08T17:00:00+07:00',
    },
  });
  expect(processing.outcome).toBe('applied');
  const older = await call('POST', `/v1/dossiers/${d1.id}/events`, 201, {
    key: motcua,
    body: { status: 'supplement_requested', at: '2026-11-28T15:00:00+07:00' },
  });
  expect(older.outcome).toBe('recorded_only');
  const resolved = await call('POST', '/v1/records/XD-SNAP-0001/events', 201, {
    key: xaydung,
    body: { status: 'resolved', at: '2026-12-01T10:00:00+07:00', note: 'Đã cấp giấy phép' },
  });
  expect(resolved).toMatchObject({ outcome: 'applied', dossierId: d1.id });
  const returned = await call('POST', '/v1/records/MC-SNAP-0001/events', 201, {
    key: motcua,
    body: { status: 'returned', at: '2026-12-01T11:00:00+07:00' },
  });
  expect(returned.outcome).toBe('applied');

  // 5. A possible duplicate without an id number: held for review, then kept apart.
  const second = oneStop({
    recordId: 'MC-SNAP-0002',
    procedure: ['1.009999', 'Cấp giấy phép sửa chữa nhà ở'],
    fullName: 'Lê Thị Hoa',
    idNumber: '027185000222',
    phone: '0903 222 333',
    line: 'Thôn Đông Xuyên',
    communeCode: '09202',
    receivedAt: '2026-11-28T09:00:00+07:00',
    dueAt: '2026-12-15T17:00:00+07:00',
  });
  const d2 = await push(second, 201);
  const heldApart = await push(
    construction(second, 'XD-SNAP-0002', {
      applicant: { ...(construction(second, '').applicant as Body), idNumber: undefined },
    }),
    202,
    xaydung,
  );
  expect(heldApart.outcome).toBe('held_for_review');
  expect(heldApart.review.candidates[0].dossierId).toBe(d2.id);
  await call('POST', `/v1/ops/reviews/${heldApart.review.id}/keep-apart`, 200, { key: operator });

  // 6. Another held for review, then merged by the operator.
  const third = oneStop({
    recordId: 'MC-SNAP-0003',
    procedure: ['1.001234', 'Cấp giấy phép xây dựng công trình'],
    fullName: 'Phạm Quốc Hùng',
    idNumber: '027077000333',
    phone: '0977 444 555',
    line: 'Số 40 phố Nguyễn Văn Cừ',
    communeCode: '09211',
    receivedAt: '2026-11-28T14:00:00+07:00',
    dueAt: '2026-12-19T17:00:00+07:00',
  });
  const d3 = await push(third, 201);
  const heldMerge = await push(
    construction(third, 'XD-SNAP-0003', {
      applicant: { ...(construction(third, '').applicant as Body), idNumber: undefined },
    }),
    202,
    xaydung,
  );
  expect(heldMerge.outcome).toBe('held_for_review');
  const decided = await call('POST', `/v1/ops/reviews/${heldMerge.review.id}/merge`, 200, {
    key: operator,
    body: {},
  });
  expect(decided.dossierId).toBe(d3.id);

  // 7. An automatic merge the operator undoes: the second system's record gets its own dossier again.
  const fourth = oneStop({
    recordId: 'MC-SNAP-0004',
    procedure: ['1.004227', 'Cấp giấy phép xây dựng nhà ở riêng lẻ'],
    fullName: 'Đỗ Minh Khánh',
    idNumber: '027092000444',
    phone: '0988 666 777',
    line: 'Số 7 đường Trần Hưng Đạo',
    communeCode: '09220',
    receivedAt: '2026-11-30T08:00:00+07:00',
    dueAt: '2026-12-21T17:00:00+07:00',
  });
  const d4 = await push(fourth, 201);
  const wrong = await push(
    construction(fourth, 'XD-SNAP-0004', { receivedAt: '2026-11-30T09:30:00+07:00' }),
    200,
    xaydung,
  );
  expect(wrong).toMatchObject({ outcome: 'merged', id: d4.id });
  await call('POST', '/v1/records/XD-SNAP-0004/events', 201, {
    key: xaydung,
    body: { status: 'processing', at: '2026-11-30T14:00:00+07:00', note: 'Thụ lý tại phòng' },
  });
  const split = await call('POST', `/v1/ops/dossiers/${d4.id}/split`, 200, {
    key: operator,
    body: { system: 'xaydung', recordId: 'XD-SNAP-0004' },
  });
  expect(split.splitId).toBeTruthy();
}

interface Row {
  kind: string;
  state: string;
  seq: number;
  payload: string;
  wire: string;
}

/** Every transfer in id order, with the wire object the portal mapper makes of its payload. */
async function listTransfers(): Promise<Row[]> {
  const rows = await gw.services.store.db
    .selectFrom('transfers')
    .select(['kind', 'state', 'seq', 'payload'])
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const payload: unknown = JSON.parse(r.payload);
    let wire: unknown;
    if (r.kind === 'dossier_sync') wire = portalMapper.dossier(payload).object;
    else if (r.kind === 'progress') wire = portalMapper.progress(payload).record;
    else throw new Error(`a transfer kind this guard does not know: ${r.kind}`);
    return { kind: r.kind, state: r.state, seq: r.seq, payload: r.payload, wire: JSON.stringify(wire) };
  });
}

/** Replaces each distinct dossier id by `<dossier-N>`, numbered in order of first appearance. */
async function withStableIds(text: string): Promise<string> {
  const ids = (await gw.services.store.db.selectFrom('dossiers').select('id').execute()).map((r) => r.id);
  const seen = ids
    .map((id) => ({ id, at: text.indexOf(id) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at);
  let out = text;
  seen.forEach(({ id }, i) => {
    out = out.split(id).join(`<dossier-${i + 1}>`);
  });
  return out;
}

describe('portal payloads of a fixed scenario', () => {
  it('equal the committed fixture (regenerate with PORTAL_PAYLOADS_FIXTURE=write when intended)', async () => {
    await scenario();
    const rows = await listTransfers();
    const actual = await withStableIds(`${JSON.stringify(rows, null, 2)}\n`);
    if (WRITE) {
      if (process.env.CI) throw new Error('refusing to rewrite the fixture in CI');
      writeFileSync(FIXTURE, actual);
    }
    expect(actual).toBe(readFileSync(FIXTURE, 'utf8'));
  });
});
