/**
 * LienThongService's SOAP bodies ↔ the canonical intake input (docs/soap.md). Codes are the portal's
 * (TrangThai 1–10, KenhNop 1–3, LoaiDoiTuong 1–4, HinhThucTraKetQua 0–1); a canonical name is accepted
 * too. Dates are `yyyyMMddHHmmss` in Vietnam time or ISO 8601 with an offset in, `yyyyMMddHHmmss` out.
 * A value that does not map is handed on as it came, so the canonical schema names the failing field.
 */
import type { DossierInput, StatusEventInput } from '../../schemas/dossier.js';
import type { CapNhatTienDo, TiepNhanHoSo, TraCuuHoSoAnswer } from '../../schemas/soap/lienthong.js';
import {
  APPLICANT_TYPE_FROM_PORTAL,
  APPLICANT_TYPE_TO_PORTAL,
  CHANNEL_FROM_PORTAL,
  CHANNEL_TO_PORTAL,
  RETURN_METHOD_FROM_PORTAL,
  RETURN_METHOD_TO_PORTAL,
  STATUS_FROM_PORTAL,
  STATUS_TO_PORTAL,
} from '../portal/codes.js';
import { formatPortalDate, parsePortalDate } from '../portal/dates.js';

const PORTAL_DATE = /^\d{14}$/;

/** A SOAP date as the canonical ISO form; anything else unchanged, for the canonical rule to refuse. */
export function soapDateIn(value: string | undefined): string | undefined {
  if (value === undefined || !PORTAL_DATE.test(value)) return value;
  try {
    return parsePortalDate(value);
  } catch {
    return value;
  }
}

/** A portal code through its table; a canonical name or an unknown value unchanged. */
function code<T extends string>(table: Record<string, T>, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Object.hasOwn(table, value) ? table[value] : value;
}

function amount(value: string | undefined): number | string | undefined {
  return value !== undefined && /^\d{1,13}$/.test(value) ? Number(value) : value;
}

function flag(value: string | undefined): boolean | string | undefined {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function applicantIn(c: TiepNhanHoSo['ChuHoSo']): Record<string, unknown> | undefined {
  if (!c) return undefined;
  const a = c.DiaChi;
  return defined({
    type: code(APPLICANT_TYPE_FROM_PORTAL, c.LoaiDoiTuong),
    fullName: c.HoTen,
    idNumber: c.SoGiayTo,
    phone: c.SoDienThoai,
    email: c.Email,
    address: a && defined({ line: a.DiaChiChiTiet, communeCode: a.MaXa, provinceCode: a.MaTinh }),
  });
}

/** The canonical push input of a `TiepNhanHoSo` body (unvalidated: `DossierInputSchema` decides). */
export function toDossierInput(b: TiepNhanHoSo): Record<string, unknown> {
  const sector =
    b.MaLinhVuc !== undefined || b.TenLinhVuc !== undefined
      ? { code: b.MaLinhVuc, name: b.TenLinhVuc }
      : undefined;
  return defined({
    source: defined({ recordId: b.MaHoSoNguon }),
    code: b.MaHoSo,
    procedure: defined({ code: b.MaThuTuc, name: b.TenThuTuc }),
    sector: sector && defined(sector),
    agency: defined({ code: b.MaDonVi, name: b.TenDonVi }),
    applicant: applicantIn(b.ChuHoSo),
    summary: b.TrichYeu,
    channel: code(CHANNEL_FROM_PORTAL, b.KenhNop),
    receivedAt: soapDateIn(b.NgayTiepNhan),
    dueAt: soapDateIn(b.NgayHenTra),
    status: code(STATUS_FROM_PORTAL, b.TrangThai),
    resultReturn:
      b.HinhThucTraKetQua === undefined
        ? undefined
        : { method: code(RETURN_METHOD_FROM_PORTAL, b.HinhThucTraKetQua) },
    documents: b.ThanhPhanHoSo?.GiayTo?.map((d) =>
      defined({
        name: d.TenGiayTo,
        componentCode: d.MaThanhPhan,
        sha256: d.MaBam,
        digitized: flag(d.DaSoHoa),
        url: d.DuongDan,
      }),
    ),
    fees: b.LePhi?.KhoanPhi?.map((f) => defined({ code: f.MaPhi, name: f.TenPhi, amount: amount(f.SoTien) })),
    note: b.GhiChu,
  });
}

/** The canonical status event of a `CapNhatTienDo` body (unvalidated: `StatusEventInputSchema` decides). */
export function toEventInput(b: CapNhatTienDo): Record<string, unknown> {
  const o = b.CanBo;
  return defined({
    status: code(STATUS_FROM_PORTAL, b.TrangThai),
    at: soapDateIn(b.ThoiDiem),
    note: b.NoiDung,
    officer: o && defined({ name: o.HoTen, title: o.ChucVu, unit: o.DonVi }),
    dueAt: soapDateIn(b.NgayHenTraMoi),
  });
}

/** The `TiepNhanHoSo` body of a canonical input: what a legacy system sends for it (round trip). */
export function fromDossierInput(d: DossierInput): TiepNhanHoSo {
  const a = d.applicant;
  const address = a.address;
  return defined({
    MaHoSoNguon: d.source.recordId,
    MaHoSo: d.code,
    MaThuTuc: d.procedure.code,
    TenThuTuc: d.procedure.name,
    MaLinhVuc: d.sector?.code,
    TenLinhVuc: d.sector?.name,
    MaDonVi: d.agency.code,
    TenDonVi: d.agency.name,
    ChuHoSo: defined({
      LoaiDoiTuong: APPLICANT_TYPE_TO_PORTAL[a.type],
      HoTen: a.fullName,
      SoGiayTo: a.idNumber,
      SoDienThoai: a.phone,
      Email: a.email,
      DiaChi:
        address &&
        defined({ DiaChiChiTiet: address.line, MaXa: address.communeCode, MaTinh: address.provinceCode }),
    }),
    TrichYeu: d.summary,
    KenhNop: CHANNEL_TO_PORTAL[d.channel],
    NgayTiepNhan: formatPortalDate(d.receivedAt),
    NgayHenTra: d.dueAt === undefined ? undefined : formatPortalDate(d.dueAt),
    TrangThai: STATUS_TO_PORTAL[d.status],
    HinhThucTraKetQua: RETURN_METHOD_TO_PORTAL[d.resultReturn.method],
    ThanhPhanHoSo: d.documents.length
      ? {
          GiayTo: d.documents.map((x) =>
            defined({
              TenGiayTo: x.name,
              MaThanhPhan: x.componentCode,
              MaBam: x.sha256,
              DaSoHoa: String(x.digitized),
              DuongDan: x.url,
            }),
          ),
        }
      : undefined,
    LePhi: d.fees.length
      ? { KhoanPhi: d.fees.map((f) => defined({ MaPhi: f.code, TenPhi: f.name, SoTien: String(f.amount) })) }
      : undefined,
    GhiChu: d.note,
  });
}

/** The `TraCuuHoSo` answer for a dossier: portal status number and `yyyyMMddHHmmss` dates. */
export function toLookupAnswer(d: {
  id: string;
  code: string;
  status: StatusEventInput['status'];
  procedure: { code: string };
  agency: { code: string };
  receivedAt: string;
  dueAt?: string | undefined;
}): TraCuuHoSoAnswer {
  return defined({
    IdHoSo: d.id,
    MaHoSo: d.code,
    TrangThai: STATUS_TO_PORTAL[d.status],
    MaThuTuc: d.procedure.code,
    MaDonVi: d.agency.code,
    NgayTiepNhan: formatPortalDate(d.receivedAt),
    NgayHenTra: d.dueAt === undefined ? undefined : formatPortalDate(d.dueAt),
  });
}

/** The portal's status number of a canonical status. */
export function portalStatus(status: StatusEventInput['status']): string {
  return STATUS_TO_PORTAL[status];
}

const DOSSIER_PATHS: Record<string, string> = {
  source: 'MaHoSoNguon',
  'source.recordId': 'MaHoSoNguon',
  code: 'MaHoSo',
  procedure: 'MaThuTuc',
  'procedure.code': 'MaThuTuc',
  'procedure.name': 'TenThuTuc',
  'sector.code': 'MaLinhVuc',
  'sector.name': 'TenLinhVuc',
  agency: 'MaDonVi',
  'agency.code': 'MaDonVi',
  'agency.name': 'TenDonVi',
  applicant: 'ChuHoSo',
  'applicant.type': 'ChuHoSo.LoaiDoiTuong',
  'applicant.fullName': 'ChuHoSo.HoTen',
  'applicant.idNumber': 'ChuHoSo.SoGiayTo',
  'applicant.phone': 'ChuHoSo.SoDienThoai',
  'applicant.email': 'ChuHoSo.Email',
  'applicant.address': 'ChuHoSo.DiaChi',
  'applicant.address.line': 'ChuHoSo.DiaChi.DiaChiChiTiet',
  'applicant.address.communeCode': 'ChuHoSo.DiaChi.MaXa',
  'applicant.address.provinceCode': 'ChuHoSo.DiaChi.MaTinh',
  summary: 'TrichYeu',
  channel: 'KenhNop',
  receivedAt: 'NgayTiepNhan',
  dueAt: 'NgayHenTra',
  status: 'TrangThai',
  resultReturn: 'HinhThucTraKetQua',
  'resultReturn.method': 'HinhThucTraKetQua',
  'resultReturn.address': 'ChuHoSo.DiaChi',
  documents: 'ThanhPhanHoSo.GiayTo',
  'documents.*': 'ThanhPhanHoSo.GiayTo.*',
  'documents.*.name': 'ThanhPhanHoSo.GiayTo.*.TenGiayTo',
  'documents.*.componentCode': 'ThanhPhanHoSo.GiayTo.*.MaThanhPhan',
  'documents.*.sha256': 'ThanhPhanHoSo.GiayTo.*.MaBam',
  'documents.*.digitized': 'ThanhPhanHoSo.GiayTo.*.DaSoHoa',
  'documents.*.url': 'ThanhPhanHoSo.GiayTo.*.DuongDan',
  fees: 'LePhi.KhoanPhi',
  'fees.*': 'LePhi.KhoanPhi.*',
  'fees.*.code': 'LePhi.KhoanPhi.*.MaPhi',
  'fees.*.name': 'LePhi.KhoanPhi.*.TenPhi',
  'fees.*.amount': 'LePhi.KhoanPhi.*.SoTien',
  note: 'GhiChu',
};

const EVENT_PATHS: Record<string, string> = {
  status: 'TrangThai',
  at: 'ThoiDiem',
  note: 'NoiDung',
  officer: 'CanBo',
  'officer.name': 'CanBo.HoTen',
  'officer.title': 'CanBo.ChucVu',
  'officer.unit': 'CanBo.DonVi',
  dueAt: 'NgayHenTraMoi',
};

/** A canonical field path (`applicant.idNumber`, `documents.0.name`) as the SOAP element path. */
function translate(path: string, table: Record<string, string>): string {
  const parts = path.split('.');
  const isIndex = (p: string) => /^\d+$/.test(p);
  const indices = parts.filter(isIndex);
  const key = parts.map((p) => (isIndex(p) ? '*' : p));
  for (let n = key.length; n > 0; n--) {
    const hit = table[key.slice(0, n).join('.')];
    if (hit === undefined) continue;
    let i = 0;
    const mapped = hit.replace(/\*/g, () => indices[i++] ?? '*');
    return [mapped, ...parts.slice(n)].join('.');
  }
  return path;
}

export const dossierPathToSoap = (path: string): string => translate(path, DOSSIER_PATHS);
export const eventPathToSoap = (path: string): string => translate(path, EVENT_PATHS);
