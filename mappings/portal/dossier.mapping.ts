/**
 * Canonical dossier sync payload ↔ the portal's dossier object (DongBoHoSoMC), field by field as the
 * table in docs/portal.md gives it.
 *
 * Invariants:
 * - Deterministic: the object is built in a fixed field order from the payload and the mapping options
 *   alone (no clock, no randomness, no input key order), so the same payload always gives byte-identical
 *   JSON and a resend repeats exactly what was sent before.
 * - Every object returned passes `PortalDossierSchema`; when the canonical data cannot make a valid one,
 *   a `PortalMappingError` names the portal field and the canonical field it comes from.
 * - Nothing is invented: a value the canonical dossier does not have is left out, except `NgayHenTra`,
 *   which is sent as `""` when the dossier has no due date (real clients do so; some procedures have
 *   none), and the two document flags the gateway always sent (`DuocSoHoa`, `DuocTaiSuDung` '0' for a
 *   file not flagged otherwise).
 * - `fromPortalDossier(toPortalDossier(p))` equals `portalHeldView(p)`: the canonical fields the portal
 *   holds, instants at whole seconds.
 */

import type {
  APPLICANT_TYPES,
  CHANNELS,
  DossierStatus,
  ID_KINDS,
  ONLINE_PAYMENTS,
  RETURN_METHODS,
} from '../../schemas/dossier.js';
import { checkPhone } from '../../schemas/identifiers.js';
import {
  type DossierSyncPayload,
  type PortalDossier,
  PortalDossierSchema,
  type PortalFeeAmountFormat,
  type PortalStoredDossier,
} from '../../schemas/portal.js';
import {
  APPLICANT_TYPE_FROM_PORTAL,
  APPLICANT_TYPE_TO_PORTAL,
  CHANNEL_FROM_PORTAL,
  CHANNEL_TO_PORTAL,
  ONLINE_PAYMENT_FROM_PORTAL,
  ONLINE_PAYMENT_TO_PORTAL,
  RETURN_METHOD_FROM_PORTAL,
  RETURN_METHOD_TO_PORTAL,
  STATUS_FROM_PORTAL,
  STATUS_TO_PORTAL,
} from './codes.js';
import { formatPortalDate, parsePortalDate, toPortalPrecision } from './dates.js';
import { issuePath, PortalMappingError } from './errors.js';

/** How the mappings write what the portal's clients disagree on (settings, docs/portal.md). */
export interface PortalMappingOptions {
  /** `Gia`: a string of digits (default, as the direct client known to work sends it) or a JSON number. */
  feeAmountAs: PortalFeeAmountFormat;
}

export const DEFAULT_PORTAL_MAPPING_OPTIONS: Readonly<PortalMappingOptions> = { feeAmountAs: 'string' };

/** A submitted document as the portal holds it. */
export interface PortalHeldDocument {
  name: string;
  componentCode?: string;
  /** TepDinhKemId: the source's id of the file, or its sha256 when the source gave no id. */
  attachmentId?: string;
  digitized: boolean;
  url?: string;
  deleted?: boolean;
  /** DuocTaiSuDung 1 or 2. */
  reused: boolean;
  reusedResultCode?: string;
  fromNationalStore?: boolean;
}

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
    portalAccountId?: string;
    idNumber?: string;
    phone?: string;
    email?: string;
    vneidVerified?: boolean;
  };
  summary?: string;
  channel: (typeof CHANNELS)[number];
  submittedAt?: string;
  submissionPlace?: string;
  receivedAt: string;
  dueAt?: string;
  resolvedAt?: string;
  returnedAt?: string;
  rejectedAt?: string;
  resultReturn: { method: (typeof RETURN_METHODS)[number] };
  documents: PortalHeldDocument[];
  fees: { code?: string; name: string; amount: number }[];
  onlinePayment?: (typeof ONLINE_PAYMENTS)[number];
  nationalDatabases?: string[];
  results?: {
    name: string;
    componentCode?: string;
    documentId?: string;
    url?: string;
    resultCode?: string;
  }[];
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
  MaDoiTuong: 'dossier.applicant.portalAccountId',
  SoGiayToChuHoSo: 'dossier.applicant.idNumber',
  DinhDanhCHS: 'dossier.applicant.idNumber',
  SoDienThoai: 'dossier.applicant.phone',
  Email: 'dossier.applicant.email',
  Fax: 'dossier.applicant',
  TrichYeuHoSo: 'dossier.summary',
  NgayNopHoSo: 'dossier.submittedAt',
  NgayTiepNhan: 'dossier.receivedAt',
  NgayHenTra: 'dossier.dueAt',
  TrangThaiHoSo: 'status',
  NgayKetThucXuLy: 'dossier.resolvedAt',
  NgayTra: 'dossier.returnedAt',
  NgayTuChoi: 'dossier.rejectedAt',
  HinhThuc: 'dossier.resultReturn.method',
  DonViXuLy: 'dossier.agency.name',
  GhiChu: 'dossier.note',
  NoiNopHoSo: 'dossier.submissionPlace',
  HoSoCoThanhPhanSoHoa: 'dossier.documents',
  TaiKhoanDuocXacThucVoiVNeID: 'dossier.applicant.vneidVerified',
  DuocThanhToanTrucTuyen: 'dossier.onlinePayment',
  DSKetNoiCSDL: 'dossier.nationalDatabases',
  TaiLieuNop: 'dossier.documents',
  DanhSachLePhi: 'dossier.fees',
  DanhSachGiayToKetQua: 'dossier.results',
};

function sourceOf(field: string): string | undefined {
  const top = field.split('.')[0] ?? '';
  return Object.entries(SOURCES).find(([key]) => key === top)?.[1];
}

/** `{ [key]: value }`, or `{}` when the value is absent, an empty string or an empty list. */
function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return {};
  const out: Partial<Record<K, V>> = {};
  out[key] = value;
  return out;
}

/** A boolean as the portal's flag: '1' / '0', or nothing when the canonical dossier does not say. */
function flag(value: boolean | undefined): '1' | '0' | undefined {
  return value === undefined ? undefined : value ? '1' : '0';
}

/** A portal flag back to a boolean; `""` and absent mean "not said". */
function fromFlag(value: string | undefined): boolean | undefined {
  return value === '1' ? true : value === '0' ? false : undefined;
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

/**
 * DinhDanhCHS: LoaiDinhDanh "1" for a CCCD (12 digits), "2" for a CMND (9 digits). Those are the only
 * identity types known on the portal; a tax code or a passport travels in SoGiayToChuHoSo alone rather
 * than under an invented type. The kind comes from `idKind` (a 9-digit passport is no CMND); data
 * without a kind falls back to the number's shape.
 */
function identities(
  idNumber: string | undefined,
  idKind: (typeof ID_KINDS)[number] | undefined,
): PortalDossier['DinhDanhCHS'] {
  if (idNumber === undefined) return undefined;
  const kind = idKind ?? (/^\d{12}$/.test(idNumber) ? 'cccd' : /^\d{9}$/.test(idNumber) ? 'cmnd' : undefined);
  if (kind === 'cccd') return [{ LoaiDinhDanh: '1', SoDinhDanh: idNumber }];
  if (kind === 'cmnd') return [{ LoaiDinhDanh: '2', SoDinhDanh: idNumber }];
  return undefined;
}

type Dossier = DossierSyncPayload['dossier'];

/** TaiLieuNop: one item per submitted document, members in the contract's order. */
function documentsOf(d: Dossier): NonNullable<PortalDossier['TaiLieuNop']> {
  return d.documents.map((doc) => {
    const reuse = doc.reusedResultCode !== undefined ? '2' : doc.reused ? '1' : '0';
    return {
      ...opt('TepDinhKemId', doc.id ?? doc.sha256), // the source's id, else the content hash: both stable
      TenTepDinhKem: doc.name,
      ...opt('IsDeleted', flag(doc.deleted)),
      ...opt('MaThanhPhanHoSo', doc.componentCode),
      ...opt('DuongDanTaiTepTin', doc.url),
      DuocSoHoa: doc.digitized ? ('1' as const) : ('0' as const),
      DuocTaiSuDung: reuse,
      ...opt('DuocLayTuKhoDMQG', flag(doc.fromNationalStore)),
      ...opt('MaKetQuaThayThe', doc.reusedResultCode),
    };
  });
}

/** DanhSachLePhi: one item per fee; `Gia` written as the setting says. */
function feesOf(d: Dossier, options: PortalMappingOptions): NonNullable<PortalDossier['DanhSachLePhi']> {
  return d.fees.map((fee) => ({
    TenPhiLePhi: fee.name,
    ...opt('MaPhiLePhi', fee.code),
    Gia: options.feeAmountAs === 'number' ? fee.amount : String(fee.amount),
  }));
}

/** DanhSachGiayToKetQua: one item per result document. */
function resultsOf(d: Dossier): PortalDossier['DanhSachGiayToKetQua'] {
  return d.results?.map((r) => ({
    TenGiayTo: r.name,
    ...opt('MaThanhPhanHoSo', r.componentCode),
    ...opt('GiayToId', r.documentId),
    ...opt('DuongDanTepTinKetQua', r.url),
    ...opt('MaGiayToKetQua', r.resultCode),
  }));
}

/** Maps a dossier sync payload to the portal's dossier object; throws `PortalMappingError`. */
export function toPortalDossier(
  payload: DossierSyncPayload,
  options: PortalMappingOptions = DEFAULT_PORTAL_MAPPING_OPTIONS,
): PortalDossier {
  const { code, dossier: d } = payload;
  const { applicant: a } = d;
  const date = (field: keyof PortalDossier, iso: string | undefined): string | undefined => {
    if (iso === undefined) return undefined;
    try {
      return formatPortalDate(iso);
    } catch (error) {
      throw new PortalMappingError(code, field, SOURCES[field], (error as Error).message);
    }
  };
  const object: PortalDossier = {
    MaHoSo: code,
    MaTTHC: d.procedure.code,
    ...opt('TenTTHC', d.procedure.name),
    ...opt('MaLinhVuc', d.sector?.code),
    ...opt('TenLinhVuc', d.sector?.name),
    KenhThucHien: CHANNEL_TO_PORTAL[d.channel],
    ChuHoSo: a.fullName,
    LoaiDoiTuong: APPLICANT_TYPE_TO_PORTAL[a.type],
    ...opt('MaDoiTuong', a.portalAccountId),
    ...opt('SoGiayToChuHoSo', a.idNumber),
    ...opt('DinhDanhCHS', identities(a.idNumber, a.idKind)),
    ...opt('SoDienThoai', a.phone === undefined ? undefined : toNationalPhone(a.phone)),
    ...opt('Email', a.email),
    ...opt('TrichYeuHoSo', d.summary),
    ...opt('NgayNopHoSo', date('NgayNopHoSo', d.submittedAt)),
    NgayTiepNhan: date('NgayTiepNhan', d.receivedAt) ?? '',
    // Sent even when empty: the portal reads "" as "this procedure has no due date".
    NgayHenTra: date('NgayHenTra', d.dueAt) ?? '',
    TrangThaiHoSo: STATUS_TO_PORTAL[payload.status],
    ...opt('NgayKetThucXuLy', date('NgayKetThucXuLy', d.resolvedAt)),
    ...opt('NgayTra', date('NgayTra', d.returnedAt)),
    ...opt('NgayTuChoi', date('NgayTuChoi', d.rejectedAt)),
    HinhThuc: RETURN_METHOD_TO_PORTAL[d.resultReturn.method],
    ...opt('DonViXuLy', d.agency.name),
    ...opt('GhiChu', d.note),
    ...opt('NoiNopHoSo', d.submissionPlace),
    HoSoCoThanhPhanSoHoa: d.documents.some((doc) => doc.digitized) ? '1' : '0',
    ...opt('TaiKhoanDuocXacThucVoiVNeID', flag(a.vneidVerified)),
    ...opt('DuocThanhToanTrucTuyen', d.onlinePayment && ONLINE_PAYMENT_TO_PORTAL[d.onlinePayment]),
    ...opt(
      'DSKetNoiCSDL',
      d.nationalDatabases?.map((MaCSDL) => ({ MaCSDL })),
    ),
    ...opt('TaiLieuNop', documentsOf(d)),
    ...opt('DanhSachLePhi', feesOf(d, options)),
    ...opt('DanhSachGiayToKetQua', resultsOf(d)),
  };
  const checked = PortalDossierSchema.safeParse(object);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue ? issuePath(issue) : '(object)';
    throw new PortalMappingError(code, field, sourceOf(field), issue?.message ?? 'invalid');
  }
  return object;
}

/** A submitted document back from the portal. */
function heldDocument(doc: NonNullable<PortalStoredDossier['TaiLieuNop']>[number]): PortalHeldDocument {
  return {
    name: doc.TenTepDinhKem,
    ...opt('componentCode', doc.MaThanhPhanHoSo),
    ...opt('attachmentId', doc.TepDinhKemId),
    digitized: doc.DuocSoHoa === '1',
    ...opt('url', doc.DuongDanTaiTepTin),
    ...opt('deleted', fromFlag(doc.IsDeleted)),
    reused: doc.DuocTaiSuDung !== '0',
    ...opt('reusedResultCode', doc.DuocTaiSuDung === '2' ? doc.MaKetQuaThayThe : undefined),
    ...opt('fromNationalStore', fromFlag(doc.DuocLayTuKhoDMQG)),
  };
}

/** The portal's dossier object back to the canonical fields it holds (for reconciliation and tests). */
export function fromPortalDossier(object: PortalStoredDossier): PortalHeldDossier {
  const date = (s: string | undefined) => (s ? parsePortalDate(s) : undefined);
  const sector =
    !object.MaLinhVuc && !object.TenLinhVuc
      ? undefined
      : { ...opt('code', object.MaLinhVuc), ...opt('name', object.TenLinhVuc) };
  const payment = object.DuocThanhToanTrucTuyen;
  return {
    code: object.MaHoSo,
    status: STATUS_FROM_PORTAL[object.TrangThaiHoSo],
    procedure: { code: object.MaTTHC, ...opt('name', object.TenTTHC) },
    ...opt('sector', sector),
    ...opt('agencyName', object.DonViXuLy),
    applicant: {
      type: APPLICANT_TYPE_FROM_PORTAL[object.LoaiDoiTuong],
      fullName: object.ChuHoSo,
      ...opt('portalAccountId', object.MaDoiTuong),
      ...opt('idNumber', object.SoGiayToChuHoSo),
      ...opt('phone', object.SoDienThoai ? fromNationalPhone(object.SoDienThoai) : undefined),
      ...opt('email', object.Email),
      ...opt('vneidVerified', fromFlag(object.TaiKhoanDuocXacThucVoiVNeID)),
    },
    ...opt('summary', object.TrichYeuHoSo),
    channel: CHANNEL_FROM_PORTAL[object.KenhThucHien],
    ...opt('submittedAt', date(object.NgayNopHoSo)),
    ...opt('submissionPlace', object.NoiNopHoSo),
    receivedAt: parsePortalDate(object.NgayTiepNhan),
    ...opt('dueAt', date(object.NgayHenTra)),
    ...opt('resolvedAt', date(object.NgayKetThucXuLy)),
    ...opt('returnedAt', date(object.NgayTra)),
    ...opt('rejectedAt', date(object.NgayTuChoi)),
    resultReturn: { method: RETURN_METHOD_FROM_PORTAL[object.HinhThuc] },
    documents: (object.TaiLieuNop ?? []).map(heldDocument),
    fees: (object.DanhSachLePhi ?? []).map((fee) => ({
      ...opt('code', fee.MaPhiLePhi),
      name: fee.TenPhiLePhi,
      amount: Number(fee.Gia),
    })),
    ...opt('onlinePayment', payment ? ONLINE_PAYMENT_FROM_PORTAL[payment] : undefined),
    ...opt(
      'nationalDatabases',
      object.DSKetNoiCSDL?.map((db) => db.MaCSDL),
    ),
    ...opt(
      'results',
      object.DanhSachGiayToKetQua?.map((r) => ({
        name: r.TenGiayTo,
        ...opt('componentCode', r.MaThanhPhanHoSo),
        ...opt('documentId', r.GiayToId),
        ...opt('url', r.DuongDanTepTinKetQua),
        ...opt('resultCode', r.MaGiayToKetQua),
      })),
    ),
    ...opt('note', object.GhiChu),
  };
}

/** The canonical fields of a sync payload that the portal holds, as the portal will give them back. */
export function portalHeldView(payload: DossierSyncPayload): PortalHeldDossier {
  const { dossier: d } = payload;
  const { applicant: a } = d;
  const instant = (iso: string | undefined) => (iso === undefined ? undefined : toPortalPrecision(iso));
  return {
    code: payload.code,
    status: payload.status,
    procedure: { code: d.procedure.code, ...opt('name', d.procedure.name) },
    ...opt('sector', d.sector === undefined ? undefined : { code: d.sector.code, name: d.sector.name }),
    ...opt('agencyName', d.agency.name),
    applicant: {
      type: a.type,
      fullName: a.fullName,
      ...opt('portalAccountId', a.portalAccountId),
      ...opt('idNumber', a.idNumber),
      ...opt('phone', a.phone),
      ...opt('email', a.email),
      ...opt('vneidVerified', a.vneidVerified),
    },
    ...opt('summary', d.summary),
    channel: d.channel,
    ...opt('submittedAt', instant(d.submittedAt)),
    ...opt('submissionPlace', d.submissionPlace),
    receivedAt: toPortalPrecision(d.receivedAt),
    ...opt('dueAt', instant(d.dueAt)),
    ...opt('resolvedAt', instant(d.resolvedAt)),
    ...opt('returnedAt', instant(d.returnedAt)),
    ...opt('rejectedAt', instant(d.rejectedAt)),
    resultReturn: { method: d.resultReturn.method },
    documents: d.documents.map((doc) => ({
      name: doc.name,
      ...opt('componentCode', doc.componentCode),
      ...opt('attachmentId', doc.id ?? doc.sha256),
      digitized: doc.digitized,
      ...opt('url', doc.url),
      ...opt('deleted', doc.deleted),
      reused: doc.reused === true || doc.reusedResultCode !== undefined,
      ...opt('reusedResultCode', doc.reusedResultCode),
      ...opt('fromNationalStore', doc.fromNationalStore),
    })),
    fees: d.fees.map((fee) => ({ ...opt('code', fee.code), name: fee.name, amount: fee.amount })),
    ...opt('onlinePayment', d.onlinePayment),
    ...opt('nationalDatabases', d.nationalDatabases),
    ...opt(
      'results',
      d.results?.map((r) => ({
        name: r.name,
        ...opt('componentCode', r.componentCode),
        ...opt('documentId', r.documentId),
        ...opt('url', r.url),
        ...opt('resultCode', r.resultCode),
      })),
    ),
    ...opt('note', d.note),
  };
}
