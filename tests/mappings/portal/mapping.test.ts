import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OFFICER_TITLE,
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
const documentArb = fc.record(
  {
    name: anyText,
    componentCode: codeArb,
    sha256: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
    digitized: fc.boolean(),
    url: fc.nat(9999).map((n) => `https://files.example.vn/${n}.pdf`),
  },
  { requiredKeys: ['name', 'digitized'] },
);
const feeArb = fc.record(
  { code: codeArb, name: anyText, amount: fc.integer({ min: 0, max: 1_000_000_000 }) },
  { requiredKeys: ['name', 'amount'] },
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
      },
      { requiredKeys: ['type', 'fullName'] },
    ),
    summary: fc.option(fc.oneof(anyText, fc.constant('')), { nil: undefined }),
    channel: fc.constantFrom('counter' as const, 'online' as const, 'postal' as const),
    method: fc.constantFrom('counter' as const, 'postal' as const),
    documents: fc.array(documentArb, { maxLength: 4 }),
    fees: fc.array(feeArb, { maxLength: 3 }),
    note: fc.option(anyText, { nil: undefined }),
  })
  .map((g) => {
    const needsDue = g.status !== 'submitted' && g.status !== 'rejected';
    const dueAfter = g.dueAfter ?? (needsDue ? 5 * 24 * HOUR : undefined);
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
        DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí cấp phép', MaPhiLePhi: 'LP01', Gia: 75_000 }],
      }),
    );
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
    ['027090000123', [{ LoaiDinhDanh: '1', SoDinhDanh: '027090000123' }]],
    ['123456789', [{ LoaiDinhDanh: '2', SoDinhDanh: '123456789' }]],
    ['0100233488', undefined],
    ['B1234567', undefined],
  ])('identifies the applicant number %s in DinhDanhCHS as %j', (id, expected) => {
    const p = basePayload();
    const object = toPortalDossier(withDossier({ applicant: { ...p.dossier.applicant, idNumber: id } }));
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

  it('leaves out empty lists and empty optional texts (the portal refuses empty strings)', () => {
    const object = toPortalDossier(withDossier({ documents: [], fees: [], summary: '', note: undefined }));
    for (const key of ['TaiLieuNop', 'DanhSachLePhi', 'TrichYeuHoSo', 'GhiChu', 'DanhSachGiayToKetQua']) {
      expect(object).not.toHaveProperty(key);
    }
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
    expect(refused).not.toHaveProperty('NgayHenTra');
  });

  it('sends the phone in the national form and reads it back as E.164', () => {
    const object = toPortalDossier(basePayload());
    expect(object.SoDienThoai).toBe('0912345678');
    expect(fromPortalDossier(object).applicant.phone).toBe('+84912345678');
  });

  it('refuses a received dossier without a due date, naming NgayHenTra and dossier.dueAt', () => {
    const error = mappingError(() => toPortalDossier(withDossier({ dueAt: undefined }, 'processing')));
    expect(error.code).toBe(CODE);
    expect(error.field).toBe('NgayHenTra');
    expect(error.source).toBe('dossier.dueAt');
    expect(error.message).toMatch(
      /NgayHenTra \(from dossier\.dueAt\): required once the dossier is received/,
    );
  });

  it('allows no due date before reception (submitted) and for a dossier not received (rejected)', () => {
    expect(toPortalDossier(withDossier({ dueAt: undefined }, 'submitted'))).not.toHaveProperty('NgayHenTra');
    expect(toPortalDossier(withDossier({ dueAt: undefined }, 'rejected'))).not.toHaveProperty('NgayHenTra');
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
    const error = mappingError(() => toPortalDossier(withDossier({ fees: [{ name: 'Phí', amount: 1.5 }] })));
    expect(error.field).toBe('DanhSachLePhi.0.Gia');
    expect(error.source).toBe('dossier.fees');
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

  it('produces only objects the portal schema accepts', () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        expect(PortalDossierSchema.safeParse(toPortalDossier(payload)).success).toBe(true);
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

  it('refuses every received dossier whose due date is missing', () => {
    fc.assert(
      fc.property(
        payloadArb.filter((p) => p.status !== 'submitted' && p.status !== 'rejected'),
        (payload) => {
          const { dueAt: _, ...dossier } = payload.dossier;
          expect(mappingError(() => toPortalDossier({ ...payload, dossier })).field).toBe('NgayHenTra');
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
  receivedAt: '2026-11-28T08:30:00+07:00',
  dueAt: '2026-12-05T17:00:00+07:00',
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
        NgayBatDau: '20261128083000',
        NgayKetThucTheoQuyDinh: '20261205170000',
      }),
    );
  });

  it('attributes a step without an officer to the system', () => {
    const { officer: _, ...payload } = progressBase;
    const record = toPortalProgress(payload);
    expect(record.NguoiXuLy).toBe(SYSTEM_ACTOR);
    expect(record.ChucDanh).toBe(SYSTEM_ACTOR);
    expect(record.PhongBanXuLy).toBe(SYSTEM_ACTOR);
  });

  it('gives a named officer without a title or unit the generic title and the system unit', () => {
    const record = toPortalProgress({ ...progressBase, officer: { name: 'Lê Văn Cường' } });
    expect(record.NguoiXuLy).toBe('Lê Văn Cường');
    expect(record.ChucDanh).toBe(DEFAULT_OFFICER_TITLE);
    expect(record.PhongBanXuLy).toBe(SYSTEM_ACTOR);
  });

  it.each(STATUSES)('describes status %s in Vietnamese when the step has no note', (status) => {
    const { note: _, ...payload } = progressBase;
    const record = toPortalProgress({ ...payload, status });
    expect(record.NoiDungXuLy).toBe(STATUS_DESCRIPTIONS[status]);
    expect(toPortalProgress({ ...payload, status, note: '   ' }).NoiDungXuLy).toBe(
      STATUS_DESCRIPTIONS[status],
    );
  });

  it('leaves NgayKetThucTheoQuyDinh out when there is no due date', () => {
    const { dueAt: _, ...payload } = progressBase;
    expect(toPortalProgress(payload)).not.toHaveProperty('NgayKetThucTheoQuyDinh');
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
            received: instantMs,
            due: fc.integer({ min: 0, max: 60 * 24 * HOUR }),
          },
          { requiredKeys: ['status', 'at', 'offset', 'received'] },
        ),
        (g) => {
          const payload: ProgressPayload = {
            code: CODE,
            historyId: 1,
            status: g.status,
            at: isoWithOffset(g.at, g.offset),
            receivedAt: vnIso(g.received),
            ...(g.note ? { note: g.note } : {}),
            ...(g.officer ? { officer: g.officer } : {}),
            ...(g.due === undefined ? {} : { dueAt: vnIso(g.received + g.due) }),
          };
          const record = toPortalProgress(payload);
          expect(PortalProgressSchema.safeParse(record).success).toBe(true);
          expect(record.ThoiDiemXuLy).toBe(refPortalDate(g.at));
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
});
