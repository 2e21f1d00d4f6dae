/**
 * Bad input, bad credentials and scope over raw SOAP 1.1: every answer is a fault naming the failing
 * elements, never a 500, and nothing is written (docs/soap.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, OTHER_AGENCY } from '../helpers/gateway.js';
import {
  envelope,
  readFault,
  type SoapGateway,
  startSoapGateway,
  tiepNhan,
  toXml,
  usernameToken,
} from './soap-gateway.js';

let sg: SoapGateway;
beforeAll(async () => {
  sg = await startSoapGateway();
});
afterAll(async () => {
  await sg.close();
});

const TABLES = [
  'dossiers',
  'dossier_sources',
  'status_history',
  'reconciliation_log',
  'transfers',
  'idempotency_keys',
];
const written = () => TABLES.map((t) => count(sg.gw, t));

async function call(operation: string, body: Record<string, unknown>, key = sg.gw.keys.motcua, header = '') {
  return sg.post(envelope(toXml(operation, body), usernameToken(await sg.idOf(key), key) + header));
}

/** Each entry: what is wrong, the body, and the element path the fault must name with its rule. */
const CORPUS: [string, Record<string, unknown>, string, string?][] = [
  ['missing MaThuTuc', tiepNhan({ MaThuTuc: undefined }), 'MaThuTuc', 'required'],
  ['missing ChuHoSo', tiepNhan({ ChuHoSo: undefined }), 'ChuHoSo', 'required'],
  ['missing NgayTiepNhan', tiepNhan({ NgayTiepNhan: undefined }), 'NgayTiepNhan', 'required'],
  ['bad agency code', tiepNhan({ MaDonVi: 'abc' }), 'MaDonVi'],
  ['bad procedure code', tiepNhan({ MaThuTuc: 'x/y' }), 'MaThuTuc'],
  ['code of another agency', tiepNhan({ MaHoSo: '000.00.15.H06-261128-0001' }), 'MaHoSo', 'code_agency'],
  ['impossible date', tiepNhan({ NgayTiepNhan: '20261332250000' }), 'NgayTiepNhan'],
  ['date in words', tiepNhan({ NgayTiepNhan: 'hom qua' }), 'NgayTiepNhan'],
  ['due before received', tiepNhan({ NgayHenTra: '20261101000000' }), 'NgayHenTra', 'due_after_received'],
  ['unknown status number', tiepNhan({ TrangThai: '42' }), 'TrangThai'],
  ['unknown channel', tiepNhan({ KenhNop: '9' }), 'KenhNop'],
  [
    'unknown applicant type',
    tiepNhan({ ChuHoSo: { LoaiDoiTuong: '7', HoTen: 'A' } }),
    'ChuHoSo.LoaiDoiTuong',
  ],
  [
    'bad id number',
    tiepNhan({ ChuHoSo: { LoaiDoiTuong: '1', HoTen: 'A', SoGiayTo: '12' } }),
    'ChuHoSo.SoGiayTo',
  ],
  ['control character', tiepNhan({ TrichYeu: 'Xin c\u0007ap phep' }), 'TrichYeu'],
  ['bidirectional control', tiepNhan({ TrichYeu: 'abc\u202Edef' }), 'TrichYeu'],
  [
    'fee not a number',
    tiepNhan({ LePhi: { KhoanPhi: { TenPhi: 'Le phi', SoTien: 'nhieu' } } }),
    'LePhi.KhoanPhi.0.SoTien',
  ],
  ['bad record id', tiepNhan({ MaHoSoNguon: 'has space' }), 'MaHoSoNguon'],
  ['a group given as text', tiepNhan({ ChuHoSo: 'Nguyen Van A' }), 'ChuHoSo'],
  ['text given as a group', tiepNhan({ TrichYeu: { Dong: 'a' } }), 'TrichYeu'],
  [
    'too many documents',
    tiepNhan({ ThanhPhanHoSo: { GiayTo: Array.from({ length: 201 }, (_, i) => ({ TenGiayTo: `G${i}` })) } }),
    'ThanhPhanHoSo.GiayTo',
  ],
];

describe('TiepNhanHoSo with bad input', () => {
  for (const [what, body, path, rule] of CORPUS) {
    it(`${what}: a client fault naming ${path}, nothing written`, async () => {
      const before = written();
      const fault = await readFault(await call('TiepNhanHoSo', body));
      expect(fault.status).toBe(400);
      expect(fault.faultcode).toBe('soap:Client');
      expect(fault.code).toBe('validation_failed');
      expect(fault.faultstring).toContain('Dữ liệu không hợp lệ');
      expect(fault.faultstring).toContain('The request did not pass validation');
      const named = fault.errors.find((e) => e.path === path);
      expect(named, JSON.stringify(fault.errors)).toBeDefined();
      if (rule) expect(named?.rule).toBe(rule);
      expect(written()).toEqual(before);
    });
  }

  it('lists every failing field in one fault', async () => {
    const fault = await readFault(
      await call('TiepNhanHoSo', tiepNhan({ MaThuTuc: undefined, KenhNop: '9', NgayTiepNhan: 'x' })),
    );
    expect([...new Set(fault.errors.map((e) => e.path))].sort()).toEqual([
      'KenhNop',
      'MaThuTuc',
      'NgayTiepNhan',
    ]);
  });
});

describe('CapNhatTienDo and TraCuuHoSo with bad input', () => {
  it('an event with a bad status, time and record id lists all three', async () => {
    const before = written();
    const fault = await readFault(
      await call('CapNhatTienDo', { MaHoSoNguon: 'a b', TrangThai: '99', ThoiDiem: '2026' }),
    );
    expect(fault.code).toBe('validation_failed');
    expect([...new Set(fault.errors.map((e) => e.path))].sort()).toEqual([
      'MaHoSoNguon',
      'ThoiDiem',
      'TrangThai',
    ]);
    expect(written()).toEqual(before);
  });

  it('an event in the future names ThoiDiem with the rule of the use case', async () => {
    const body = tiepNhan();
    expect((await call('TiepNhanHoSo', body)).status).toBe(200);
    const before = written();
    const fault = await readFault(
      await call('CapNhatTienDo', {
        MaHoSoNguon: body.MaHoSoNguon,
        TrangThai: '4',
        ThoiDiem: '20991231000000',
      }),
    );
    expect(fault.errors).toEqual([expect.objectContaining({ path: 'ThoiDiem', rule: 'not_in_future' })]);
    expect(written()).toEqual(before);
  });

  it('an event for an unknown record id is not_found', async () => {
    const fault = await readFault(
      await call('CapNhatTienDo', { MaHoSoNguon: 'NOPE-1', TrangThai: '4', ThoiDiem: '20261129090000' }),
    );
    expect([fault.status, fault.code]).toEqual([404, 'not_found']);
  });

  it('a lookup needs exactly one of MaHoSo and MaHoSoNguon', async () => {
    const fault = await readFault(await call('TraCuuHoSo', {}));
    expect([fault.status, fault.code, fault.errors[0]?.rule]).toEqual([400, 'validation_failed', 'one_of']);
  });
});

describe('credentials and scope', () => {
  const body = () => envelope(toXml('TiepNhanHoSo', tiepNhan()));

  it('no credentials, a wrong key, a key under another client id, a digest password: unauthorized', async () => {
    const before = written();
    const motcua = await sg.idOf(sg.gw.keys.motcua);
    const digest = usernameToken(motcua, sg.gw.keys.motcua).replace('#PasswordText', '#PasswordDigest');
    const answers = [
      await sg.post(body()),
      await sg.post(envelope(toXml('TiepNhanHoSo', tiepNhan()), usernameToken(motcua, 'lt_wrong'))),
      await sg.post(
        envelope(
          toXml('TiepNhanHoSo', tiepNhan()),
          usernameToken(await sg.idOf(sg.gw.keys.xaydung), sg.gw.keys.motcua),
        ),
      ),
      await sg.post(envelope(toXml('TiepNhanHoSo', tiepNhan()), digest)),
      await sg.post(body(), { Authorization: 'Bearer lt_unknown' }),
    ];
    for (const answer of answers) {
      const fault = await readFault(answer);
      expect([fault.status, fault.faultcode, fault.code]).toEqual([401, 'soap:Client', 'unauthorized']);
    }
    expect(written()).toEqual(before);
  });

  it('only department clients push; others get forbidden', async () => {
    for (const key of [sg.gw.keys.operator, sg.gw.keys.admin, sg.gw.keys.postal]) {
      const fault = await readFault(await call('TiepNhanHoSo', tiepNhan(), key));
      expect([fault.status, fault.code]).toEqual([403, 'forbidden']);
    }
  });

  it('a department may not push for an agency it does not serve', async () => {
    const fault = await readFault(await call('TiepNhanHoSo', tiepNhan({ MaDonVi: OTHER_AGENCY })));
    expect([fault.status, fault.code]).toEqual([403, 'forbidden']);
  });

  it("another agency's dossier looks exactly like an unknown one", async () => {
    const created = await call('TiepNhanHoSo', tiepNhan());
    expect(created.status).toBe(200);
    const code = /<(?:\w+:)?MaHoSo>([^<]+)</.exec(created.text)?.[1];
    expect(code).toBeDefined();
    const hidden = await readFault(await call('TraCuuHoSo', { MaHoSo: code }, sg.gw.keys.other));
    const unknown = await readFault(
      await call('TraCuuHoSo', { MaHoSo: '000.00.15.H24-261128-9999' }, sg.gw.keys.other),
    );
    expect(hidden).toEqual(unknown);
    expect(hidden.code).toBe('not_found');
    // The operator sees every dossier, as over REST.
    const seen = await call('TraCuuHoSo', { MaHoSo: code }, sg.gw.keys.operator);
    expect(seen.status).toBe(200);
  });
});
