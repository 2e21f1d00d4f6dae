/**
 * Canonical dossier sync payload ↔ the portal's dossier object (DongBoHoSoMC).
 *
 * Invariants:
 * - Deterministic: the object is built in the contract's field order from the payload alone (no clock, no
 *   randomness, no input key order), so the same payload always gives byte-identical JSON and a resend
 *   repeats exactly what was sent before.
 * - Every object returned passes `PortalDossierSchema`; when the canonical data cannot make a valid one,
 *   a `PortalMappingError` names the portal field and the canonical field it comes from.
 * - Empty optional texts are left out (the portal refuses empty strings); absent dates are left out.
 * - `fromPortalDossier(toPortalDossier(p))` equals `portalHeldView(p)`: the canonical fields the portal
 *   holds, instants at whole seconds.
 */

import type { APPLICANT_TYPES, CHANNELS, DossierStatus, RETURN_METHODS } from '../../schemas/dossier.js';
import { checkPhone } from '../../schemas/identifiers.js';
import {
  type DossierSyncPayload,
  type PortalDossier,
  PortalDossierSchema,
  type PortalStoredDossier,
} from '../../schemas/portal.js';
import {
  APPLICANT_TYPE_FROM_PORTAL,
  APPLICANT_TYPE_TO_PORTAL,
  CHANNEL_FROM_PORTAL,
  CHANNEL_TO_PORTAL,
  RETURN_METHOD_FROM_PORTAL,
  RETURN_METHOD_TO_PORTAL,
  STATUS_FROM_PORTAL,
  STATUS_TO_PORTAL,
} from './codes.js';
import { formatPortalDate, parsePortalDate, toPortalPrecision } from './dates.js';
import { issuePath, PortalMappingError } from './errors.js';

/** The canonical fields the portal holds for a dossier (what reconciliation can compare). */
export interface PortalHeldDossier {
  code: string;
  status: DossierStatus;
  procedure: { code: string; name?: string };
  sector?: { code?: string; name?: string };
  /** DonViXuLy: the processing agency's name (its id travels as `madonvi`, not in the object). */
  agencyName?: string;
  applicant: {
    type: (typeof APPLICANT_TYPES)[number];
    fullName: string;
    idNumber?: string;
    phone?: string;
    email?: string;
  };
  summary?: string;
  channel: (typeof CHANNELS)[number];
  receivedAt: string;
  dueAt?: string;
  resolvedAt?: string;
  returnedAt?: string;
  rejectedAt?: string;
  resultReturn: { method: (typeof RETURN_METHODS)[number] };
  documents: { name: string; componentCode?: string; sha256?: string; digitized: boolean; url?: string }[];
  fees: { code?: string; name: string; amount: number }[];
  note?: string;
}

/** Where each portal field comes from in the sync payload (for error messages). */
const SOURCES: Readonly<Record<keyof PortalDossier, string>> = {
  MaHoSo: 'code',
  MaTTHC: 'dossier.procedure.code',
  TenTTHC: 'dossier.procedure.name',
  MaLinhVuc: 'dossier.sector.code',
  TenLinhVuc: 'dossier.sector.name',
  KenhThucHien: 'dossier.channel',
  ChuHoSo: 'dossier.applicant.fullName',
  LoaiDoiTuong: 'dossier.applicant.type',
  SoGiayToChuHoSo: 'dossier.applicant.idNumber',
  DinhDanhCHS: 'dossier.applicant.idNumber',
  SoDienThoai: 'dossier.applicant.phone',
  Email: 'dossier.applicant.email',
  Fax: 'dossier.applicant',
  TrichYeuHoSo: 'dossier.summary',
  NgayTiepNhan: 'dossier.receivedAt',
  NgayHenTra: 'dossier.dueAt',
  TrangThaiHoSo: 'status',
  NgayKetThucXuLy: 'dossier.resolvedAt',
  NgayTra: 'dossier.returnedAt',
  NgayTuChoi: 'dossier.rejectedAt',
  HinhThuc: 'dossier.resultReturn.method',
  DonViXuLy: 'dossier.agency.name',
  GhiChu: 'dossier.note',
  HoSoCoThanhPhanSoHoa: 'dossier.documents',
  TaiLieuNop: 'dossier.documents',
  DanhSachLePhi: 'dossier.fees',
  DanhSachGiayToKetQua: 'dossier.documents',
};

function sourceOf(field: string): string | undefined {
  const top = field.split('.')[0] ?? '';
  return Object.entries(SOURCES).find(([key]) => key === top)?.[1];
}

const SHA256_RE = /^[0-9a-f]{64}$/;

/** `{ [key]: value }`, or `{}` when the value is absent or an empty string. */
function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  if (value === undefined || value === '') return {};
  const out: Partial<Record<K, V>> = {};
  out[key] = value;
  return out;
}

/** `+84912345678` → `0912345678`: Vietnamese systems exchange the national form. */
function toNationalPhone(phone: string): string {
  return phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
}

/** The national form back to the canonical E.164 form (left as is when it is not a Vietnamese number). */
function fromNationalPhone(phone: string): string {
  const checked = checkPhone(phone);
  return checked.ok ? checked.value : phone;
}

/** LoaiDinhDanh "1" for a 12-digit personal id, "2" for a 9-digit one; nothing for other numbers. */
function identities(idNumber: string | undefined): PortalDossier['DinhDanhCHS'] {
  if (idNumber === undefined) return undefined;
  if (/^\d{12}$/.test(idNumber)) return [{ LoaiDinhDanh: '1', SoDinhDanh: idNumber }];
  if (/^\d{9}$/.test(idNumber)) return [{ LoaiDinhDanh: '2', SoDinhDanh: idNumber }];
  return undefined;
}

/** Maps a dossier sync payload to the portal's dossier object; throws `PortalMappingError`. */
export function toPortalDossier(payload: DossierSyncPayload): PortalDossier {
  const { code, dossier: d } = payload;
  const date = (field: keyof PortalDossier, iso: string): string => {
    try {
      return formatPortalDate(iso);
    } catch (error) {
      throw new PortalMappingError(code, field, SOURCES[field], (error as Error).message);
    }
  };
  const optDate = (field: keyof PortalDossier, iso: string | undefined) =>
    iso === undefined ? undefined : date(field, iso);
  const documents = d.documents.map((doc) => ({
    ...opt('TepDinhKemId', doc.sha256), // a content hash is a stable attachment id
    TenTepDinhKem: doc.name,
    ...opt('MaThanhPhanHoSo', doc.componentCode),
    ...opt('DuongDanTaiTepTin', doc.url),
    DuocSoHoa: doc.digitized ? ('1' as const) : ('0' as const),
    // Whether the file was reused from the citizen's data store: the canonical model does not know, so '0'.
    DuocTaiSuDung: '0' as const,
  }));
  const fees = d.fees.map((fee) => ({
    TenPhiLePhi: fee.name,
    ...opt('MaPhiLePhi', fee.code),
    Gia: fee.amount,
  }));
  const object: PortalDossier = {
    MaHoSo: code,
    MaTTHC: d.procedure.code,
    ...opt('TenTTHC', d.procedure.name),
    ...opt('MaLinhVuc', d.sector?.code),
    ...opt('TenLinhVuc', d.sector?.name),
    KenhThucHien: CHANNEL_TO_PORTAL[d.channel],
    ChuHoSo: d.applicant.fullName,
    LoaiDoiTuong: APPLICANT_TYPE_TO_PORTAL[d.applicant.type],
    ...opt('SoGiayToChuHoSo', d.applicant.idNumber),
    ...opt('DinhDanhCHS', identities(d.applicant.idNumber)),
    ...opt('SoDienThoai', d.applicant.phone === undefined ? undefined : toNationalPhone(d.applicant.phone)),
    ...opt('Email', d.applicant.email),
    ...opt('TrichYeuHoSo', d.summary),
    NgayTiepNhan: date('NgayTiepNhan', d.receivedAt),
    ...opt('NgayHenTra', optDate('NgayHenTra', d.dueAt)),
    TrangThaiHoSo: STATUS_TO_PORTAL[payload.status],
    ...opt('NgayKetThucXuLy', optDate('NgayKetThucXuLy', d.resolvedAt)),
    ...opt('NgayTra', optDate('NgayTra', d.returnedAt)),
    ...opt('NgayTuChoi', optDate('NgayTuChoi', d.rejectedAt)),
    HinhThuc: RETURN_METHOD_TO_PORTAL[d.resultReturn.method],
    ...opt('DonViXuLy', d.agency.name),
    ...opt('GhiChu', d.note),
    HoSoCoThanhPhanSoHoa: d.documents.some((doc) => doc.digitized) ? '1' : '0',
    ...opt('TaiLieuNop', documents.length > 0 ? documents : undefined),
    ...opt('DanhSachLePhi', fees.length > 0 ? fees : undefined),
  };
  const checked = PortalDossierSchema.safeParse(object);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue ? issuePath(issue) : '(object)';
    throw new PortalMappingError(code, field, sourceOf(field), issue?.message ?? 'invalid');
  }
  return object;
}

/** The portal's dossier object back to the canonical fields it holds (for reconciliation and tests). */
export function fromPortalDossier(object: PortalStoredDossier): PortalHeldDossier {
  const date = (s: string | undefined) => (s === undefined ? undefined : parsePortalDate(s));
  const sector =
    object.MaLinhVuc === undefined && object.TenLinhVuc === undefined
      ? undefined
      : { ...opt('code', object.MaLinhVuc), ...opt('name', object.TenLinhVuc) };
  return {
    code: object.MaHoSo,
    status: STATUS_FROM_PORTAL[object.TrangThaiHoSo],
    procedure: { code: object.MaTTHC, ...opt('name', object.TenTTHC) },
    ...opt('sector', sector),
    ...opt('agencyName', object.DonViXuLy),
    applicant: {
      type: APPLICANT_TYPE_FROM_PORTAL[object.LoaiDoiTuong],
      fullName: object.ChuHoSo,
      ...opt('idNumber', object.SoGiayToChuHoSo),
      ...opt('phone', object.SoDienThoai === undefined ? undefined : fromNationalPhone(object.SoDienThoai)),
      ...opt('email', object.Email),
    },
    ...opt('summary', object.TrichYeuHoSo),
    channel: CHANNEL_FROM_PORTAL[object.KenhThucHien],
    receivedAt: parsePortalDate(object.NgayTiepNhan),
    ...opt('dueAt', date(object.NgayHenTra)),
    ...opt('resolvedAt', date(object.NgayKetThucXuLy)),
    ...opt('returnedAt', date(object.NgayTra)),
    ...opt('rejectedAt', date(object.NgayTuChoi)),
    resultReturn: { method: RETURN_METHOD_FROM_PORTAL[object.HinhThuc] },
    documents: (object.TaiLieuNop ?? []).map((doc) => ({
      name: doc.TenTepDinhKem,
      ...opt('componentCode', doc.MaThanhPhanHoSo),
      ...opt(
        'sha256',
        doc.TepDinhKemId !== undefined && SHA256_RE.test(doc.TepDinhKemId) ? doc.TepDinhKemId : undefined,
      ),
      digitized: doc.DuocSoHoa === '1',
      ...opt('url', doc.DuongDanTaiTepTin),
    })),
    fees: (object.DanhSachLePhi ?? []).map((fee) => ({
      ...opt('code', fee.MaPhiLePhi),
      name: fee.TenPhiLePhi,
      amount: fee.Gia,
    })),
    ...opt('note', object.GhiChu),
  };
}

/** The canonical fields of a sync payload that the portal holds, as the portal will give them back. */
export function portalHeldView(payload: DossierSyncPayload): PortalHeldDossier {
  const { dossier: d } = payload;
  const instant = (iso: string | undefined) => (iso === undefined ? undefined : toPortalPrecision(iso));
  return {
    code: payload.code,
    status: payload.status,
    procedure: { code: d.procedure.code, ...opt('name', d.procedure.name) },
    ...opt('sector', d.sector === undefined ? undefined : { code: d.sector.code, name: d.sector.name }),
    ...opt('agencyName', d.agency.name),
    applicant: {
      type: d.applicant.type,
      fullName: d.applicant.fullName,
      ...opt('idNumber', d.applicant.idNumber),
      ...opt('phone', d.applicant.phone),
      ...opt('email', d.applicant.email),
    },
    ...opt('summary', d.summary),
    channel: d.channel,
    receivedAt: toPortalPrecision(d.receivedAt),
    ...opt('dueAt', instant(d.dueAt)),
    ...opt('resolvedAt', instant(d.resolvedAt)),
    ...opt('returnedAt', instant(d.returnedAt)),
    ...opt('rejectedAt', instant(d.rejectedAt)),
    resultReturn: { method: d.resultReturn.method },
    documents: d.documents.map((doc) => ({
      name: doc.name,
      ...opt('componentCode', doc.componentCode),
      ...opt('sha256', doc.sha256),
      digitized: doc.digitized,
      ...opt('url', doc.url),
    })),
    fees: d.fees.map((fee) => ({ ...opt('code', fee.code), name: fee.name, amount: fee.amount })),
    ...opt('note', d.note),
  };
}
