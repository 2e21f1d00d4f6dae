import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimDossierSchema, SimProgressSchema } from '../../../adapters/portal/simulator.contract.js';
import {
  createPortalMapper,
  cutOnWord,
  formatPortalDate,
  fromPortalDossier,
  PortalMappingError,
  parsePortalDate,
  portalHeldView,
  portalMapper,
  STATUS_DESCRIPTIONS,
  SYSTEM_ACTOR,
  toPortalDossier,
  toPortalPrecision,
  toPortalProgress,
} from '../../../mappings/portal/index.js';
import { type DossierStatus, STATUSES } from '../../../schemas/dossier.js';
import {
  type DossierSyncPayload,
  isPortalDate,
  PortalDossierSchema,
  PortalProgressSchema,
  type ProgressPayload,
} from '../../../schemas/portal.js';
import { text as textSchema } from '../../../schemas/text.js';

// ---------------------------------------------------------------------------------------------------------
// Fixtures and independent reference implementations
// ---------------------------------------------------------------------------------------------------------

const CODE = '000.00.15.H24-261128-0001';

function basePayload(overrides: Partial<DossierSyncPayload> = {}): DossierSyncPayload {
  return {
    op: 'insert',
    version: 1,
    code: CODE,
    status: 'received',
    statusAt: '2026-11-28T08:30:00+07:00',
    dossier: {
      procedure: { code: '1.004227', name: 'Cấp giấy phép xây dựng' },
      sector: { code: 'XD', name: 'Xây dựng' },
      agency: { code: '000.00.15.H24', name: 'Sở Xây dựng' },
      applicant: {
        type: 'citizen',
        fullName: 'Nguyễn Văn An',
        idNumber: '027090000123',
        idKind: 'cccd',
        phone: '+84912345678',
        email: 'an@example.vn',
      },
      summary: 'Xin cấp phép xây nhà ở',
      channel: 'counter',
      receivedAt: '2026-11-28T08:30:00+07:00',
      dueAt: '2026-12-05T17:00:00+07:00',
      resultReturn: { method: 'postal', address: { line: 'Số 1 Lý Thái Tổ' } },
      documents: [
        { name: 'Đơn đề nghị', componentCode: 'TP01', sha256: 'a'.repeat(64), digitized: true },
        { name: 'Bản vẽ', digitized: false, url: 'https://files.example.vn/banve.pdf' },
      ],
      fees: [{ code: 'LP01', name: 'Lệ phí cấp phép', amount: 75_000 }],
      note: 'Ưu tiên',
    },
    ...overrides,
  };
}

function withDossier(patch: Partial<DossierSyncPayload['dossier']>, status?: DossierStatus) {
  const p = basePayload(status ? { status } : {});
  return { ...p, dossier: { ...p.dossier, ...patch } };
}

const HOUR = 3_600_000;

/** Reference: `yyyyMMddHHmmss` of epoch ms in UTC+7, whole seconds (floor). */
function refPortalDate(ms: number): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000 + 7 * HOUR).toISOString();
  return iso.slice(0, 19).replace(/[-T:]/g, '');
}

/** Reference: epoch ms written as ISO 8601 with the given offset in minutes (0 → `Z` when asked). */
function isoWithOffset(ms: number, offsetMinutes: number, zulu = false): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  if (offsetMinutes === 0 && zulu) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** Reference of the canonical stored form (src/lib/time.ts toVnIso). */
function vnIso(ms: number): string {
  const local = new Date(ms + 7 * HOUR).toISOString();
  const millis = local.slice(19, 23);
  return `${local.slice(0, 19)}${millis === '.000' ? '' : millis}+07:00`;
}

/** A deep copy with every object's keys in reverse order (same data, different JSON key order). */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

function mappingError(fn: () => unknown): PortalMappingError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PortalMappingError) return error;
    throw error;
  }
  throw new Error('expected a PortalMappingError');
}

// ---------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2090, 0, 1);
const instantMs = fc.integer({ min: MIN_MS, max: MAX_MS });
const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const TextSchema = textSchema(500);
/** Any text the API accepts (no control, bidi or only-invisible characters), in NFC as stored. */
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  .map((s) => s.trim().normalize('NFC'))
  .filter((s) => TextSchema.safeParse(s).success);
/** A catalogue code as the API accepts it. */
const codeArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,20}$/);
const vnText = fc
  .array(
    fc.constantFrom('Nguyễn', 'Thị', 'Hồ sơ', 'Đăng ký', 'Xây dựng', 'ơ', 'ư', 'Ạ', 'kinh doanh', '#1'),
    {
      minLength: 1,
      maxLength: 5,
    },
  )
  .map((w) => w.join(' '));
const anyText = fc.oneof(text, vnText);
const idNumber = fc.oneof(
  digits(12),
  digits(9),
  digits(10).map((d) => `01${d.slice(2)}`),
  fc.constant('B1234567'),
);
const phone = fc.oneof(
  fc.tuple(fc.constantFrom('3', '5', '7', '8', '9'), digits(8)).map(([p, d]) => `+84${p}${d}`),
  digits(9).map((d) => `+842${d}`),
);
const documentArb = fc
  .record(
    {
      name: anyText,
      componentCode: codeArb,
      sha256: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
      digitized: fc.boolean(),
      url: fc.nat(9999).map((n) => `https://files.example.vn/${n}.pdf`),
      id: codeArb,
      deleted: fc.boolean(),
      reused: fc.boolean(),
      reusedResultCode: codeArb,
      fromNationalStore: fc.boolean(),
    },
    { requiredKeys: ['name', 'digitized'] },
  )
  // A reused result implies reuse: intake refuses `reused: false` with a result code.
  .map((d) => (d.reused === false && d.reusedResultCode !== undefined ? { ...d, reused: true } : d));
const feeArb = fc.record(
  { code: codeArb, name: anyText, amount: fc.integer({ min: 0, max: 1_000_000_000 }), paid: fc.boolean() },
  { requiredKeys: ['name', 'amount'] },
);
const resultArb = fc.record(
  {
    name: anyText,
    componentCode: codeArb,
    documentId: codeArb,
    url: fc.nat(9999).map((n) => `https://files.example.vn/kq/${n}.pdf`),
    resultCode: codeArb,
  },
  { requiredKeys: ['name'] },
);

/** Valid sync payloads as the gateway stores them (instants in the canonical +07:00 form). */
const payloadArb: fc.Arbitrary<DossierSyncPayload> = fc
  .record({
    seq: fc.integer({ min: 1, max: 9999 }),
    status: fc.constantFrom(...STATUSES),
    op: fc.constantFrom('insert' as const, 'update' as const),
    received: instantMs,
    dueAfter: fc.option(fc.integer({ min: 0, max: 90 * 24 * HOUR }), { nil: undefined }),
    resolvedAfter: fc.option(fc.integer({ min: 0, max: 90 * 24 * HOUR }), { nil: undefined }),
    returnedAfter: fc.option(fc.integer({ min: 0, max: 90 * 24 * HOUR }), { nil: undefined }),
    rejectedAfter: fc.option(fc.integer({ min: 0, max: 90 * 24 * HOUR }), { nil: undefined }),
    procedure: fc.record({ code: fc.constantFrom('1.004227', '2.000477.000.00.00.H56'), name: anyText }),
    sector: fc.option(fc.record({ code: codeArb, name: anyText }), { nil: undefined }),
    agency: fc.record({ code: fc.constant('000.00.15.H24'), name: anyText }),
    applicant: fc.record(
      {
        type: fc.constantFrom(
          'citizen' as const,
          'business' as const,
          'agency' as const,
          'organization' as const,
        ),
        fullName: anyText,
        idNumber,
        phone,
        email: fc.nat(999).map((n) => `user${n}@example.vn`),
        portalAccountId: codeArb,
        vneidVerified: fc.boolean(),
      },
      { requiredKeys: ['type', 'fullName'] },
    ),
    submittedBefore: fc.option(fc.integer({ min: 0, max: 30 * 24 * HOUR }), { nil: undefined }),
    submissionPlace: fc.option(anyText, { nil: undefined }),
    onlinePayment: fc.option(fc.constantFrom('national_portal' as const, 'local_gateway' as const), {
      nil: undefined,
    }),
    nationalDatabases: fc.option(fc.array(codeArb, { maxLength: 3 }), { nil: undefined }),
    results: fc.option(fc.array(resultArb, { maxLength: 3 }), { nil: undefined }),
    summary: fc.option(fc.oneof(anyText, fc.constant('')), { nil: undefined }),
    channel: fc.constantFrom('counter' as const, 'online' as const, 'postal' as const),
    method: fc.constantFrom('counter' as const, 'postal' as const),
    documents: fc.array(documentArb, { maxLength: 4 }),
    fees: fc.array(feeArb, { maxLength: 3 }),
    note: fc.option(anyText, { nil: undefined }),
  })
  .map((g) => {
    // With and without a due date at every status: some procedures have none.
    const dueAfter = g.dueAfter;
    const after = (k: number | undefined) => (k === undefined ? undefined : vnIso(g.received + k));
    const dossier: DossierSyncPayload['dossier'] = {
      procedure: g.procedure,
      agency: g.agency,
      applicant: g.applicant,
      channel: g.channel,
      receivedAt: vnIso(g.received),
      resultReturn: { method: g.method },
      documents: g.documents,
      fees: g.fees,
    };
    if (g.sector) dossier.sector = g.sector;
    if (g.summary !== undefined) dossier.summary = g.summary;
    if (g.note !== undefined) dossier.note = g.note;
    if (dueAfter !== undefined) dossier.dueAt = after(dueAfter);
    if (g.resolvedAfter !== undefined) dossier.resolvedAt = after(g.resolvedAfter);
    if (g.returnedAfter !== undefined) dossier.returnedAt = after(g.returnedAfter);
    if (g.rejectedAfter !== undefined) dossier.rejectedAt = after(g.rejectedAfter);
    if (g.submittedBefore !== undefined) dossier.submittedAt = vnIso(g.received - g.submittedBefore);
    if (g.submissionPlace !== undefined) dossier.submissionPlace = g.submissionPlace;
    if (g.onlinePayment !== undefined) dossier.onlinePayment = g.onlinePayment;
    if (g.nationalDatabases !== undefined) dossier.nationalDatabases = g.nationalDatabases;
    if (g.results !== undefined) dossier.results = g.results;
    return {
      op: g.op,
      version: 1,
      code: `000.00.15.H24-261128-${String(g.seq).padStart(4, '0')}`,
      status: g.status,
      statusAt: vnIso(g.received),
      dossier,
    };
  });

// ---------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------

describe('portal dates', () => {
  it.each([
    ['2026-11-28T08:30:00+07:00', '20261128083000'],
    ['2026-11-28T01:30:00Z', '20261128083000'],
    ['2026-11-27T20:30:00-05:00', '20261128083000'],
    ['2026-11-28T08:30:59.999+07:00', '20261128083059'],
    ['2026-12-31T17:00:00Z', '20270101000000'],
    ['2024-02-28T17:00:00.000Z', '20240229000000'],
    ['2026-11-28T13:15:00+1145', '20261128083000'],
  ])('formats %s as %s in Vietnam time', (iso, expected) => {
    expect(formatPortalDate(iso)).toBe(expected);
  });

  it('refuses an instant without an offset, since its meaning would depend on the machine', () => {
    expect(() => formatPortalDate('2026-11-28T08:30:00')).toThrow(/offset/);
    expect(() => formatPortalDate('not a date')).toThrow(RangeError);
    expect(() => formatPortalDate('2026-02-30T08:30:00+07:00')).toThrow(/real date/);
  });

  it('parses the portal format into the canonical +07:00 form', () => {
    expect(parsePortalDate('20261128083000')).toBe('2026-11-28T08:30:00+07:00');
    expect(parsePortalDate('20240229235959')).toBe('2024-02-29T23:59:59+07:00');
  });

  it.each([
    '2026112808300',
    '202611280830000',
    '2026-11-28 08:30',
    '20261328083000',
    '20230229000000',
    '20261128240000',
    '20261128086000',
    '20261100083000',
  ])('rejects %s as a portal date', (s) => {
    expect(isPortalDate(s)).toBe(false);
    expect(() => parsePortalDate(s)).toThrow(RangeError);
  });

  it('gives the same portal date for one instant written with any offset, and keeps whole seconds', () => {
    fc.assert(
      fc.property(
        instantMs,
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        fc.boolean(),
        (ms, offset, zulu) => {
          const portal = formatPortalDate(isoWithOffset(ms, offset, zulu));
          expect(portal).toBe(refPortalDate(ms));
          expect(isPortalDate(portal)).toBe(true);
          expect(Date.parse(parsePortalDate(portal))).toBe(Math.floor(ms / 1000) * 1000);
        },
      ),
    );
  });

  it('keeps the order of instants (floor never moves an instant past a later one)', () => {
    fc.assert(
      fc.property(instantMs, instantMs, (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(formatPortalDate(vnIso(early)) <= formatPortalDate(vnIso(late))).toBe(true);
      }),
    );
  });

  it('round-trips every portal date', () => {
    fc.assert(
      fc.property(instantMs, (ms) => {
        const portal = refPortalDate(ms);
        expect(formatPortalDate(parsePortalDate(portal))).toBe(portal);
        expect(toPortalPrecision(vnIso(ms))).toBe(parsePortalDate(portal));
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Dossier object
// ---------------------------------------------------------------------------------------------------------

describe('toPortalDossier', () => {
  it('maps the reference dossier to exactly this wire object', () => {
    expect(JSON.stringify(toPortalDossier(basePayload()))).toBe(
      JSON.stringify({
        MaHoSo: CODE,
        MaTTHC: '1.004227',
        TenTTHC: 'Cấp giấy phép xây dựng',
        MaLinhVuc: 'XD',
        TenLinhVuc: 'Xây dựng',
        KenhThucHien: '1',
        ChuHoSo: 'Nguyễn Văn An',
        LoaiDoiTuong: '1',
        SoGiayToChuHoSo: '027090000123',
        DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '027090000123' }],
        SoDienThoai: '0912345678',
        Email: 'an@example.vn',
        TrichYeuHoSo: 'Xin cấp phép xây nhà ở',
        NgayTiepNhan: '20261128083000',
        NgayHenTra: '20261205170000',
        TrangThaiHoSo: '2',
        HinhThuc: '1',
        DonViXuLy: 'Sở Xây dựng',
        GhiChu: 'Ưu tiên',
        HoSoCoThanhPhanSoHoa: '1',
        TaiLieuNop: [
          {
            TepDinhKemId: 'a'.repeat(64),
            TenTepDinhKem: 'Đơn đề nghị',
            MaThanhPhanHoSo: 'TP01',
            DuocSoHoa: '1',
            DuocTaiSuDung: '0',
          },
          {
            TenTepDinhKem: 'Bản vẽ',
            DuongDanTaiTepTin: 'https://files.example.vn/banve.pdf',
            DuocSoHoa: '0',
            DuocTaiSuDung: '0',
          },
        ],
        DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí cấp phép', MaPhiLePhi: 'LP01', Gia: '75000' }],
      }),
    );
  });

  it('maps every portal field the canonical dossier carries to exactly this wire object', () => {
    const p = basePayload({ status: 'resolved' });
    const payload: DossierSyncPayload = {
      ...p,
      dossier: {
        ...p.dossier,
        applicant: { ...p.dossier.applicant, portalAccountId: 'DVCQG-0012345', vneidVerified: true },
        channel: 'online',
        submittedAt: '2026-11-27T21:15:00+07:00',
        submissionPlace: 'Cổng Dịch vụ công quốc gia',
        resolvedAt: '2026-12-01T10:00:00+07:00',
        documents: [
          {
            name: 'Đơn đề nghị',
            componentCode: 'TP01',
            sha256: 'a'.repeat(64),
            id: 'TEP-871',
            digitized: true,
            url: 'https://files.example.vn/don.pdf',
            fromNationalStore: false,
          },
          { name: 'Sổ đỏ', componentCode: 'TP02', digitized: true, reused: true, fromNationalStore: true },
          { name: 'Giấy phép cũ', componentCode: 'TP03', digitized: true, reusedResultCode: 'KQ-2024-31' },
          { name: 'Bản vẽ nộp nhầm', digitized: false, deleted: true },
        ],
        fees: [{ code: 'LP01', name: 'Lệ phí cấp phép', amount: 75_000, paid: true }],
        onlinePayment: 'local_gateway',
        nationalDatabases: ['CSDLQGDC', 'CSDL-DD'],
        results: [
          {
            name: 'Giấy phép xây dựng số 125/GPXD',
            componentCode: 'KQ1',
            documentId: 'GP-125',
            url: 'https://files.example.vn/gp-125.pdf',
            resultCode: 'GPXD-125',
          },
          { name: 'Bản vẽ được duyệt' },
        ],
      },
    };
    expect(JSON.stringify(toPortalDossier(payload))).toBe(
      JSON.stringify({
        MaHoSo: CODE,
        MaTTHC: '1.004227',
        TenTTHC: 'Cấp giấy phép xây dựng',
        MaLinhVuc: 'XD',
        TenLinhVuc: 'Xây dựng',
        KenhThucHien: '2',
        ChuHoSo: 'Nguyễn Văn An',
        LoaiDoiTuong: '1',
        MaDoiTuong: 'DVCQG-0012345',
        SoGiayToChuHoSo: '027090000123',
        DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '027090000123' }],
        SoDienThoai: '0912345678',
        Email: 'an@example.vn',
        TrichYeuHoSo: 'Xin cấp phép xây nhà ở',
        NgayNopHoSo: '20261127211500',
        NgayTiepNhan: '20261128083000',
        NgayHenTra: '20261205170000',
        TrangThaiHoSo: '9',
        NgayKetThucXuLy: '20261201100000',
        HinhThuc: '1',
        DonViXuLy: 'Sở Xây dựng',
        GhiChu: 'Ưu tiên',
        NoiNopHoSo: 'Cổng Dịch vụ công quốc gia',
        HoSoCoThanhPhanSoHoa: '1',
        TaiKhoanDuocXacThucVoiVNeID: '1',
        DuocThanhToanTrucTuyen: '2',
        DSKetNoiCSDL: [{ MaCSDL: 'CSDLQGDC' }, { MaCSDL: 'CSDL-DD' }],
        TaiLieuNop: [
          {
            TepDinhKemId: 'TEP-871',
            TenTepDinhKem: 'Đơn đề nghị',
            MaThanhPhanHoSo: 'TP01',
            DuongDanTaiTepTin: 'https://files.example.vn/don.pdf',
            DuocSoHoa: '1',
            DuocTaiSuDung: '0',
            DuocLayTuKhoDMQG: '0',
          },
          {
            TenTepDinhKem: 'Sổ đỏ',
            MaThanhPhanHoSo: 'TP02',
            DuocSoHoa: '1',
            DuocTaiSuDung: '1',
            DuocLayTuKhoDMQG: '1',
          },
          {
            TenTepDinhKem: 'Giấy phép cũ',
            MaThanhPhanHoSo: 'TP03',
            DuocSoHoa: '1',
            DuocTaiSuDung: '2',
            MaKetQuaThayThe: 'KQ-2024-31',
          },
          { TenTepDinhKem: 'Bản vẽ nộp nhầm', IsDeleted: '1', DuocSoHoa: '0', DuocTaiSuDung: '0' },
        ],
        DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí cấp phép', MaPhiLePhi: 'LP01', Gia: '75000' }],
        DanhSachGiayToKetQua: [
          {
            TenGiayTo: 'Giấy phép xây dựng số 125/GPXD',
            MaThanhPhanHoSo: 'KQ1',
            GiayToId: 'GP-125',
            DuongDanTepTinKetQua: 'https://files.example.vn/gp-125.pdf',
            MaGiayToKetQua: 'GPXD-125',
          },
          { TenGiayTo: 'Bản vẽ được duyệt' },
        ],
      }),
    );
  });

  it('writes Gia as a string of digits by default and as a number when the setting says so', () => {
    expect(toPortalDossier(basePayload()).DanhSachLePhi?.[0]?.Gia).toBe('75000');
    expect(toPortalDossier(basePayload(), { feeAmountAs: 'number' }).DanhSachLePhi?.[0]?.Gia).toBe(75_000);
    const stored = JSON.parse(JSON.stringify(basePayload())) as unknown;
    expect(createPortalMapper({ feeAmountAs: 'number' }).dossier(stored).object.DanhSachLePhi?.[0]?.Gia).toBe(
      75_000,
    );
    expect(createPortalMapper().dossier(stored).object.DanhSachLePhi?.[0]?.Gia).toBe('75000');
    expect(portalMapper.dossier(stored).object.DanhSachLePhi?.[0]?.Gia).toBe('75000');
    for (const feeAmountAs of ['string', 'number'] as const) {
      expect(fromPortalDossier(toPortalDossier(basePayload(), { feeAmountAs })).fees[0]?.amount).toBe(75_000);
    }
  });

  const statusTable: [DossierStatus, string][] = [
    ['submitted', '1'],
    ['received', '2'],
    ['rejected', '3'],
    ['processing', '4'],
    ['supplement_requested', '5'],
    ['payment_requested', '6'],
    ['withdrawn', '7'],
    ['suspended', '8'],
    ['resolved', '9'],
    ['returned', '10'],
  ];
  it.each(statusTable)('sends status %s as TrangThaiHoSo "%s"', (status, code) => {
    const object = toPortalDossier(basePayload({ status }));
    expect(object.TrangThaiHoSo).toBe(code);
    expect(fromPortalDossier(object).status).toBe(status);
  });

  it.each([
    ['counter', '1'],
    ['online', '2'],
    ['postal', '3'],
  ] as const)('sends channel %s as KenhThucHien "%s"', (channel, code) => {
    expect(toPortalDossier(withDossier({ channel })).KenhThucHien).toBe(code);
  });

  it.each([
    ['citizen', '1'],
    ['business', '2'],
    ['agency', '3'],
    ['organization', '4'],
  ] as const)('sends applicant type %s as LoaiDoiTuong "%s"', (type, code) => {
    const p = basePayload();
    expect(toPortalDossier(withDossier({ applicant: { ...p.dossier.applicant, type } })).LoaiDoiTuong).toBe(
      code,
    );
  });

  it.each([
    ['counter', '0'],
    ['postal', '1'],
  ] as const)('sends return method %s as HinhThuc "%s"', (method, code) => {
    expect(toPortalDossier(withDossier({ resultReturn: { method } })).HinhThuc).toBe(code);
  });

  it.each([
    ['027090000123', 'cccd', [{ LoaiDinhDanh: '1', SoDinhDanh: '027090000123' }]],
    ['123456789', 'cmnd', [{ LoaiDinhDanh: '2', SoDinhDanh: '123456789' }]],
    ['027090000123', undefined, [{ LoaiDinhDanh: '1', SoDinhDanh: '027090000123' }]],
    ['123456789', undefined, [{ LoaiDinhDanh: '2', SoDinhDanh: '123456789' }]],
    ['0100233488', 'mst', undefined],
    ['B1234567', 'passport', undefined],
    ['123456789', 'passport', undefined],
  ] as const)('identifies the applicant number %s (kind %s) in DinhDanhCHS as %j', (id, kind, expected) => {
    const { idKind: _, ...applicant } = basePayload().dossier.applicant;
    const object = toPortalDossier(
      withDossier({ applicant: { ...applicant, idNumber: id, ...(kind ? { idKind: kind } : {}) } }),
    );
    expect(object.DinhDanhCHS).toEqual(expected);
    expect(object.SoGiayToChuHoSo).toBe(id);
  });

  it('leaves out the applicant number and DinhDanhCHS when there is none', () => {
    const { idNumber: _, idKind: __, ...applicant } = basePayload().dossier.applicant;
    const object = toPortalDossier(withDossier({ applicant }));
    expect(object).not.toHaveProperty('SoGiayToChuHoSo');
    expect(object).not.toHaveProperty('DinhDanhCHS');
  });

  it('flags HoSoCoThanhPhanSoHoa "1" only when a submitted document is digitised', () => {
    expect(toPortalDossier(withDossier({ documents: [] })).HoSoCoThanhPhanSoHoa).toBe('0');
    expect(
      toPortalDossier(withDossier({ documents: [{ name: 'Đơn', digitized: false }] })).HoSoCoThanhPhanSoHoa,
    ).toBe('0');
    expect(toPortalDossier(basePayload()).HoSoCoThanhPhanSoHoa).toBe('1');
  });

  it('leaves out empty lists and optional values the dossier does not have, inventing none', () => {
    const object = toPortalDossier(
      withDossier({
        documents: [],
        fees: [],
        summary: '',
        note: undefined,
        results: [],
        nationalDatabases: [],
      }),
    );
    for (const key of [
      'TaiLieuNop',
      'DanhSachLePhi',
      'TrichYeuHoSo',
      'GhiChu',
      'DanhSachGiayToKetQua',
      'DSKetNoiCSDL',
      'MaDoiTuong',
      'NgayNopHoSo',
      'NoiNopHoSo',
      'TaiKhoanDuocXacThucVoiVNeID',
      'DuocThanhToanTrucTuyen',
    ]) {
      expect(object).not.toHaveProperty(key);
    }
    const [doc] =
      toPortalDossier(withDossier({ documents: [{ name: 'Đơn', digitized: false }] })).TaiLieuNop ?? [];
    expect(doc).toEqual({ TenTepDinhKem: 'Đơn', DuocSoHoa: '0', DuocTaiSuDung: '0' });
  });

  it('sends TepDinhKemId as the source’s document id, else the sha256', () => {
    const docs = toPortalDossier(
      withDossier({
        documents: [
          { name: 'A', id: 'TEP-1', sha256: 'b'.repeat(64), digitized: true },
          { name: 'B', sha256: 'c'.repeat(64), digitized: true },
        ],
      }),
    ).TaiLieuNop;
    expect(docs?.map((d) => d.TepDinhKemId)).toEqual(['TEP-1', 'c'.repeat(64)]);
  });

  it('sends NgayKetThucXuLy, NgayTra and NgayTuChoi only when they are set', () => {
    const plain = toPortalDossier(basePayload());
    expect(plain).not.toHaveProperty('NgayKetThucXuLy');
    expect(plain).not.toHaveProperty('NgayTra');
    expect(plain).not.toHaveProperty('NgayTuChoi');
    const done = toPortalDossier(
      withDossier(
        { resolvedAt: '2026-12-01T10:00:00+07:00', returnedAt: '2026-12-02T03:00:00Z' },
        'returned',
      ),
    );
    expect(done.NgayKetThucXuLy).toBe('20261201100000');
    expect(done.NgayTra).toBe('20261202100000');
    const refused = toPortalDossier(
      withDossier({ rejectedAt: '2026-11-28T09:00:00+07:00', dueAt: undefined }, 'rejected'),
    );
    expect(refused.NgayTuChoi).toBe('20261128090000');
    expect(refused.NgayHenTra).toBe('');
  });

  it('sends the phone in the national form and reads it back as E.164', () => {
    const object = toPortalDossier(basePayload());
    expect(object.SoDienThoai).toBe('0912345678');
    expect(fromPortalDossier(object).applicant.phone).toBe('+84912345678');
  });

  it.each(STATUSES)('sends a %s dossier without a due date with NgayHenTra ""', (status) => {
    const object = toPortalDossier(withDossier({ dueAt: undefined }, status));
    expect(object.NgayHenTra).toBe('');
    expect(PortalDossierSchema.safeParse(object).success).toBe(true);
    expect(fromPortalDossier(object)).not.toHaveProperty('dueAt');
  });

  it('maps a resolved dossier without a due date (it used to be dead-lettered)', () => {
    const object = portalMapper.dossier(
      JSON.parse(
        JSON.stringify(
          withDossier({ dueAt: undefined, resolvedAt: '2026-12-01T10:00:00+07:00' }, 'resolved'),
        ),
      ),
    ).object;
    expect(object).toMatchObject({ TrangThaiHoSo: '9', NgayHenTra: '', NgayKetThucXuLy: '20261201100000' });
  });

  it('refuses a due date earlier than the reception', () => {
    const error = mappingError(() => toPortalDossier(withDossier({ dueAt: '2026-11-27T08:30:00+07:00' })));
    expect(error.field).toBe('NgayHenTra');
    expect(error.reason).toMatch(/earlier than NgayTiepNhan/);
  });

  it('names the date field when an instant cannot be written in the portal format', () => {
    const bad = mappingError(() => toPortalDossier(withDossier({ resolvedAt: '2026-11-28 10:00' })));
    expect(bad.field).toBe('NgayKetThucXuLy');
    expect(bad.source).toBe('dossier.resolvedAt');
    const far = mappingError(() => toPortalDossier(withDossier({ returnedAt: '+010000-01-01T00:00:00Z' })));
    expect(far.field).toBe('NgayTra');
  });

  it('names nested fields that cannot be made valid', () => {
    for (const feeAmountAs of ['string', 'number'] as const) {
      const error = mappingError(() =>
        toPortalDossier(withDossier({ fees: [{ name: 'Phí', amount: 1.5 }] }), { feeAmountAs }),
      );
      expect(error.field).toBe('DanhSachLePhi.0.Gia');
      expect(error.source).toBe('dossier.fees');
    }
  });
});

describe('dossier mapping properties', () => {
  it('round-trips canonical → portal → canonical for the fields the portal holds', () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        expect(fromPortalDossier(toPortalDossier(payload))).toEqual(portalHeldView(payload));
      }),
      { numRuns: 300 },
    );
  });

  it('produces only objects the portal schema and the simulator of the contract accept', () => {
    fc.assert(
      fc.property(payloadArb, fc.boolean(), (payload, withDue) => {
        const { dueAt: _, ...undated } = payload.dossier;
        const object = toPortalDossier(withDue ? payload : { ...payload, dossier: undated });
        expect(PortalDossierSchema.safeParse(object).success).toBe(true);
        const accepted = SimDossierSchema.safeParse(object);
        expect(accepted.success, JSON.stringify(accepted.error?.issues)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same payload gives byte-identical JSON, whatever its key order', () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        const first = JSON.stringify(toPortalDossier(payload));
        expect(JSON.stringify(toPortalDossier(structuredClone(payload)))).toBe(first);
        expect(JSON.stringify(toPortalDossier(reverseKeys(payload)))).toBe(first);
        const stored = JSON.parse(JSON.stringify(payload)) as unknown;
        expect(JSON.stringify(portalMapper.dossier(stored).object)).toBe(first);
      }),
      { numRuns: 200 },
    );
  });

  it('maps every dossier without a due date, at any status, with NgayHenTra ""', () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        const { dueAt: _, ...dossier } = payload.dossier;
        const object = toPortalDossier({ ...payload, dossier });
        expect(object.NgayHenTra).toBe('');
        expect(PortalDossierSchema.safeParse(object).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('sends as "" only NgayHenTra: every other value it sends is a real one', () => {
    const empties = (value: unknown, at: string): string[] => {
      if (value === '') return [at];
      if (Array.isArray(value)) return value.flatMap((v, i) => empties(v, `${at}.${i}`));
      if (typeof value === 'object' && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => empties(v, at ? `${at}.${k}` : k));
      }
      return [];
    };
    fc.assert(
      fc.property(payloadArb, (payload) => {
        expect(empties(toPortalDossier(payload), '').filter((p) => p !== 'NgayHenTra')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('writes Gia as the setting says and reads the amount back either way', () => {
    fc.assert(
      fc.property(
        payloadArb,
        fc.constantFrom('string' as const, 'number' as const),
        (payload, feeAmountAs) => {
          const object = toPortalDossier(payload, { feeAmountAs });
          for (const fee of object.DanhSachLePhi ?? []) expect(typeof fee.Gia).toBe(feeAmountAs);
          expect(PortalDossierSchema.safeParse(object).success).toBe(true);
          expect(fromPortalDossier(object)).toEqual(portalHeldView(payload));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('portalMapper (what the delivery worker calls)', () => {
  it('parses a stored payload and returns the code with the object', () => {
    const stored = JSON.parse(JSON.stringify(basePayload())) as unknown;
    const { code, object } = portalMapper.dossier(stored);
    expect(code).toBe(CODE);
    expect(object).toEqual(toPortalDossier(basePayload()));
  });

  it('refuses a payload that is not a dossier sync, naming the payload path', () => {
    const p = basePayload();
    const error = mappingError(() =>
      portalMapper.dossier({ ...p, dossier: { ...p.dossier, receivedAt: 'yesterday' } }),
    );
    expect(error.code).toBe(CODE);
    expect(error.field).toBe('payload.dossier.receivedAt');
    expect(() => portalMapper.progress({ code: CODE })).toThrow(PortalMappingError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Progress record
// ---------------------------------------------------------------------------------------------------------

const progressBase: ProgressPayload = {
  code: CODE,
  historyId: 7,
  status: 'processing',
  at: '2026-11-29T02:15:30.250Z',
  note: 'Chuyển phòng chuyên môn thẩm định',
  officer: { name: 'Trần Thị Bình', title: 'Chuyên viên', unit: 'Phòng Quản lý xây dựng' },
  stepStartedAt: '2026-11-29T09:00:00+07:00',
  stepDueAt: '2026-12-02T17:00:00+07:00',
};

describe('toPortalProgress', () => {
  it('maps a step to exactly this wire record', () => {
    expect(JSON.stringify(toPortalProgress(progressBase))).toBe(
      JSON.stringify({
        MaHoSo: CODE,
        NguoiXuLy: 'Trần Thị Bình',
        ChucDanh: 'Chuyên viên',
        ThoiDiemXuLy: '20261129091530',
        PhongBanXuLy: 'Phòng Quản lý xây dựng',
        NoiDungXuLy: 'Chuyển phòng chuyên môn thẩm định',
        TrangThai: '4',
        NgayBatDau: '20261129090000',
        NgayKetThucTheoQuyDinh: '20261202170000',
      }),
    );
  });

  it('attributes a step without an officer to the system, and invents no title or unit', () => {
    const { officer: _, ...payload } = progressBase;
    const record = toPortalProgress(payload);
    expect(record.NguoiXuLy).toBe(SYSTEM_ACTOR);
    expect(record.ChucDanh).toBe('');
    expect(record.PhongBanXuLy).toBe('');
  });

  it('sends an unknown title or unit of a named officer as ""', () => {
    const record = toPortalProgress({ ...progressBase, officer: { name: 'Lê Văn Cường' } });
    expect(record.NguoiXuLy).toBe('Lê Văn Cường');
    expect(record.ChucDanh).toBe('');
    expect(record.PhongBanXuLy).toBe('');
    expect(PortalProgressSchema.safeParse(record).success).toBe(true);
  });

  it('cuts NguoiXuLy to 50 characters on a word boundary', () => {
    const name = 'Nguyễn Thị Phương Thảo, Phó Trưởng phòng Quản lý đô thị kiêm Tổ trưởng';
    const record = toPortalProgress({ ...progressBase, officer: { name } });
    expect(record.NguoiXuLy).toBe('Nguyễn Thị Phương Thảo, Phó Trưởng phòng Quản lý');
    expect(record.NguoiXuLy.length).toBeLessThanOrEqual(50);
    expect(cutOnWord('A'.repeat(60))).toBe('A'.repeat(50));
    expect(cutOnWord(`${'B'.repeat(50)} C`)).toBe('B'.repeat(50));
    expect(cutOnWord('Lê Văn Cường')).toBe('Lê Văn Cường');
  });

  it('never cuts a name into more than 50 characters, nor inside a word when a space allows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(anyText, fc.string({ minLength: 1, maxLength: 60 })), {
          minLength: 1,
          maxLength: 12,
        }),
        (words) => {
          const name = words.join(' ').trim();
          fc.pre(name.length > 0);
          const cut = cutOnWord(name);
          expect(cut.length).toBeLessThanOrEqual(50);
          expect(name.startsWith(cut)).toBe(true);
          if (name.length <= 50) expect(cut).toBe(name);
          else if (/\s/.test(name.slice(0, 51))) expect(name.slice(cut.length)).toMatch(/^\s/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('produces only records the simulator of the contract accepts, whatever the officer and step dates', () => {
    const officer = fc.option(
      fc.record(
        {
          name: fc.array(anyText, { minLength: 1, maxLength: 8 }).map((w) => w.join(' ')),
          title: anyText,
          unit: anyText,
        },
        { requiredKeys: ['name'] },
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), officer, fc.boolean(), (status, who, dated) => {
        const { officer: _o, stepStartedAt: _s, stepDueAt: _d, ...base } = progressBase;
        const payload: ProgressPayload = {
          ...base,
          status,
          ...(who ? { officer: who } : {}),
          ...(dated ? { stepStartedAt: progressBase.stepStartedAt, stepDueAt: progressBase.stepDueAt } : {}),
        };
        const record = toPortalProgress(payload);
        const accepted = SimProgressSchema.safeParse(record);
        expect(accepted.success, JSON.stringify(accepted.error?.issues)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.each(STATUSES)('describes status %s in Vietnamese when the step has no note', (status) => {
    const { note: _, ...payload } = progressBase;
    const record = toPortalProgress({ ...payload, status });
    expect(record.NoiDungXuLy).toBe(STATUS_DESCRIPTIONS[status]);
    expect(toPortalProgress({ ...payload, status, note: '   ' }).NoiDungXuLy).toBe(
      STATUS_DESCRIPTIONS[status],
    );
  });

  it('sends the step dates as "" when the event gave none, never the dossier’s dates', () => {
    const { stepStartedAt: _s, stepDueAt: _d, ...payload } = progressBase;
    // A payload queued by an earlier version carries the dossier's receipt and due dates: ignored.
    const legacy = {
      ...payload,
      receivedAt: '2026-11-28T08:30:00+07:00',
      dueAt: '2026-12-05T17:00:00+07:00',
    };
    for (const p of [payload, legacy]) {
      const record = portalMapper.progress(JSON.parse(JSON.stringify(p))).record;
      expect(record.NgayBatDau).toBe('');
      expect(record.NgayKetThucTheoQuyDinh).toBe('');
    }
  });

  it('names ThoiDiemXuLy when the step time cannot be written', () => {
    const error = mappingError(() => toPortalProgress({ ...progressBase, at: 'now' }));
    expect(error.field).toBe('ThoiDiemXuLy');
    expect(error.source).toBe('at');
  });

  it('is deterministic and always valid for generated steps', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            status: fc.constantFrom(...STATUSES),
            at: instantMs,
            offset: fc.integer({ min: -12 * 60, max: 14 * 60 }),
            note: anyText,
            officer: fc.record({ name: anyText, title: anyText, unit: anyText }, { requiredKeys: ['name'] }),
            started: instantMs,
            due: fc.integer({ min: 0, max: 60 * 24 * HOUR }),
          },
          { requiredKeys: ['status', 'at', 'offset'] },
        ),
        (g) => {
          const payload: ProgressPayload = {
            code: CODE,
            historyId: 1,
            status: g.status,
            at: isoWithOffset(g.at, g.offset),
            ...(g.note ? { note: g.note } : {}),
            ...(g.officer ? { officer: g.officer } : {}),
            ...(g.started === undefined ? {} : { stepStartedAt: vnIso(g.started) }),
            ...(g.started === undefined || g.due === undefined
              ? {}
              : { stepDueAt: vnIso(g.started + g.due) }),
          };
          const record = toPortalProgress(payload);
          expect(PortalProgressSchema.safeParse(record).success).toBe(true);
          expect(record.ThoiDiemXuLy).toBe(refPortalDate(g.at));
          expect(record.NguoiXuLy.length).toBeLessThanOrEqual(50);
          expect(record.NgayBatDau).toBe(g.started === undefined ? '' : refPortalDate(g.started));
          expect(JSON.stringify(toPortalProgress(reverseKeys(payload)))).toBe(JSON.stringify(record));
          expect(JSON.stringify(portalMapper.progress(JSON.parse(JSON.stringify(payload))).record)).toBe(
            JSON.stringify(record),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// The wire schema itself (the simulator enforces it too)
// ---------------------------------------------------------------------------------------------------------

describe('PortalDossierSchema', () => {
  const valid = toPortalDossier(basePayload());
  const firstIssue = (value: unknown) => {
    const r = PortalDossierSchema.safeParse(value);
    return r.success
      ? undefined
      : { path: r.error.issues[0]?.path.join('.'), message: r.error.issues[0]?.message };
  };

  it('says "required" for a missing required field', () => {
    const { MaTTHC: _, ...rest } = valid;
    expect(firstIssue(rest)).toEqual({ path: 'MaTTHC', message: 'required' });
  });

  it('accepts TrangThaiHoSo only as the string codes "1"…"10"', () => {
    expect(firstIssue({ ...valid, TrangThaiHoSo: '11' })?.path).toBe('TrangThaiHoSo');
    expect(firstIssue({ ...valid, TrangThaiHoSo: '0' })?.path).toBe('TrangThaiHoSo');
    expect(firstIssue({ ...valid, TrangThaiHoSo: 2 })?.message).toMatch(/string codes/);
    expect(firstIssue({ ...valid, TrangThaiHoSo: '10' })).toBeUndefined();
  });

  it('refuses dates not in yyyyMMddHHmmss, unknown keys, and a 12-digit id typed as a 9-digit one', () => {
    expect(firstIssue({ ...valid, NgayTiepNhan: '2026-11-28' })?.path).toBe('NgayTiepNhan');
    expect(firstIssue({ ...valid, NgayTiepNhan: 20261128083000 })?.path).toBe('NgayTiepNhan');
    expect(firstIssue({ ...valid, Extra: 'x' })?.message).toMatch(/Unrecognized key/);
    expect(
      firstIssue({ ...valid, DinhDanhCHS: [{ LoaiDinhDanh: '2', SoDinhDanh: '027090000123' }] })?.path,
    ).toBe('DinhDanhCHS.0.SoDinhDanh');
  });

  it('takes "" for an optional field, as real clients send it, and never for a required one', () => {
    const blank = {
      ...valid,
      TenTTHC: '',
      MaDoiTuong: '',
      Fax: '',
      NgayNopHoSo: '',
      NgayHenTra: '',
      NgayKetThucXuLy: '',
      NgayTra: '',
      NgayTuChoi: '',
      NoiNopHoSo: '',
      TaiKhoanDuocXacThucVoiVNeID: '',
      DuocThanhToanTrucTuyen: '',
    };
    expect(firstIssue(blank)).toBeUndefined();
    expect(firstIssue({ ...valid, MaHoSo: '' })).toEqual({ path: 'MaHoSo', message: 'must not be empty' });
    expect(firstIssue({ ...valid, NgayTiepNhan: '' })?.path).toBe('NgayTiepNhan');
    expect(firstIssue({ ...valid, NgayHenTra: '2026-12-05' })?.path).toBe('NgayHenTra');
    expect(firstIssue({ ...valid, DuocThanhToanTrucTuyen: '3' })?.path).toBe('DuocThanhToanTrucTuyen');
  });

  it('takes Gia as a string of digits or a whole number, nothing else', () => {
    const fee = (Gia: unknown) => ({ ...valid, DanhSachLePhi: [{ TenPhiLePhi: 'Phí', Gia }] });
    expect(firstIssue(fee('75000'))).toBeUndefined();
    expect(firstIssue(fee(75000))).toBeUndefined();
    for (const bad of ['75.000', '', '-1', 1.5, -1, null]) {
      expect(firstIssue(fee(bad))?.path, String(bad)).toBe('DanhSachLePhi.0.Gia');
    }
  });

  it('requires MaKetQuaThayThe with DuocTaiSuDung "2" (an earlier result reused)', () => {
    const doc = { TenTepDinhKem: 'Giấy phép cũ', DuocSoHoa: '1', DuocTaiSuDung: '2' };
    expect(firstIssue({ ...valid, TaiLieuNop: [doc] })?.path).toBe('TaiLieuNop.0.MaKetQuaThayThe');
    expect(firstIssue({ ...valid, TaiLieuNop: [{ ...doc, MaKetQuaThayThe: 'KQ-1' }] })).toBeUndefined();
    expect(firstIssue({ ...valid, TaiLieuNop: [{ ...doc, DuocTaiSuDung: '3' }] })?.path).toBe(
      'TaiLieuNop.0.DuocTaiSuDung',
    );
  });

  it('refuses a progress record whose NguoiXuLy is longer than 50 characters', () => {
    const record = toPortalProgress(progressBase);
    expect(PortalProgressSchema.safeParse({ ...record, NguoiXuLy: 'A'.repeat(50) }).success).toBe(true);
    const long = PortalProgressSchema.safeParse({ ...record, NguoiXuLy: 'A'.repeat(51) });
    expect(long.success ? undefined : long.error.issues[0]?.path).toEqual(['NguoiXuLy']);
    expect(PortalProgressSchema.safeParse({ ...record, ChucDanh: '', NgayBatDau: '' }).success).toBe(true);
  });
});
