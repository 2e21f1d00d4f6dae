/**
 * The national portal's wire formats (docs/portal.md) and the two outbox payloads the gateway
 * maps to them.
 *
 * Invariants:
 * - Every code on the wire is a string ("Codes are strings"): TrangThaiHoSo/TrangThai '1'…'10',
 *   KenhThucHien '1'…'3', LoaiDoiTuong '1'…'4', HinhThuc '0'/'1', flags '0'/'1'. Only `Gia` may be a
 *   number: it is a whole number of VND written as a string of digits or as a JSON number (a setting).
 * - Every date is `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh and names a real calendar instant.
 * - An optional field may be sent as `""` (real clients do), which means "no value"; a required one may not.
 * - What we send is strict (an unknown key is an error: it catches a mapping typo before the portal does);
 *   what the portal answers is loose (it may add keys). Validation messages are short reasons; the field is
 *   the issue path, so callers can render `<MaHoSo>: <field>: <reason>`.
 */
import { z } from 'zod';
import {
  AddressSchema,
  APPLICANT_TYPES,
  CHANNELS,
  CodeNameSchema,
  DocumentSchema,
  type DossierData,
  FeeSchema,
  ID_KINDS,
  OfficerSchema,
  ONLINE_PAYMENTS,
  RETURN_METHODS,
  ResultDocumentSchema,
  StatusSchema,
} from './dossier.js';

// ---------------------------------------------------------------------------------------------------------
// Codes and dates
// ---------------------------------------------------------------------------------------------------------

export const PORTAL_STATUS_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;
export type PortalStatusCode = (typeof PORTAL_STATUS_CODES)[number];
export const PORTAL_CHANNEL_CODES = ['1', '2', '3'] as const;
export type PortalChannelCode = (typeof PORTAL_CHANNEL_CODES)[number];
export const PORTAL_APPLICANT_TYPE_CODES = ['1', '2', '3', '4'] as const;
export type PortalApplicantTypeCode = (typeof PORTAL_APPLICANT_TYPE_CODES)[number];
export const PORTAL_RETURN_CODES = ['0', '1'] as const;
export type PortalReturnCode = (typeof PORTAL_RETURN_CODES)[number];
export const PORTAL_FLAGS = ['0', '1'] as const;
export type PortalFlag = (typeof PORTAL_FLAGS)[number];
/** LoaiDinhDanh: '1' a 12-digit personal id (CCCD), '2' a 9-digit one (CMND). No other code is known. */
export const PORTAL_ID_TYPE_CODES = ['1', '2'] as const;
/** DuocTaiSuDung: '0' submitted new, '1' reused, '2' an earlier digitised result reused (with MaKetQuaThayThe). */
export const PORTAL_REUSE_CODES = ['0', '1', '2'] as const;
export type PortalReuseCode = (typeof PORTAL_REUSE_CODES)[number];
/** DuocThanhToanTrucTuyen: '1' paid on the national portal, '2' through a province's or ministry's own gateway. */
export const PORTAL_ONLINE_PAYMENT_CODES = ['1', '2'] as const;
export type PortalOnlinePaymentCode = (typeof PORTAL_ONLINE_PAYMENT_CODES)[number];
/** How `Gia` is written: a string of digits (what the direct client known to work sends) or a JSON number. */
export const PORTAL_FEE_AMOUNT_FORMATS = ['string', 'number'] as const;
export type PortalFeeAmountFormat = (typeof PORTAL_FEE_AMOUNT_FORMATS)[number];
/** The longest NguoiXuLy the portal takes. */
export const PORTAL_OFFICER_NAME_MAX = 50;

const PORTAL_DATE_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** True when `s` is `yyyyMMddHHmmss` naming a real calendar date and time of day. */
export function isPortalDate(s: string): boolean {
  const m = PORTAL_DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return false;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // unlike Date.UTC, keeps years 0–99 as they are
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** zod error options: "required" when the value is absent, otherwise what it must be. */
const must = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : `must be ${what}`),
});

const text = () => z.string(must('a string')).min(1, 'must not be empty');
/** An optional text: absent or `""` both mean no value. */
const optionalText = () => z.string(must('a string')).optional();
const codeMessage = (values: readonly string[]) =>
  `one of the string codes ${values.map((v) => `"${v}"`).join(', ')}`;
const code = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, must(codeMessage(values)));
/** An optional code: one of `values`, or `""` (no value). */
const optionalCode = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum([...values, ''] as const, must(`${codeMessage(values)} or ""`)).optional();

const DATE_MESSAGE = 'must be a date yyyyMMddHHmmss (Asia/Ho_Chi_Minh) naming a real day and time';

export const PortalDateSchema = z
  .string(must('a date string yyyyMMddHHmmss'))
  .refine(isPortalDate, DATE_MESSAGE);
/** An optional date: absent or `""` both mean none. */
const optionalDate = () =>
  z
    .string(must('a date string yyyyMMddHHmmss or ""'))
    .refine((s) => s === '' || isPortalDate(s), DATE_MESSAGE)
    .optional();

// ---------------------------------------------------------------------------------------------------------
// Dossier object (DongBoHoSoMC)
// ---------------------------------------------------------------------------------------------------------

export const PortalIdentitySchema = z
  .strictObject({ LoaiDinhDanh: code(PORTAL_ID_TYPE_CODES), SoDinhDanh: text() })
  .superRefine((v, ctx) => {
    const digits = v.LoaiDinhDanh === '1' ? 12 : 9;
    if (!new RegExp(`^\\d{${digits}}$`).test(v.SoDinhDanh)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SoDinhDanh'],
        message: `must be ${digits} digits for LoaiDinhDanh "${v.LoaiDinhDanh}"`,
      });
    }
  });

/** One submitted document (TaiLieuNop), members in the contract's order. */
export const PortalDocumentSchema = z
  .strictObject({
    TepDinhKemId: optionalText(),
    TenTepDinhKem: text(),
    IsDeleted: optionalCode(PORTAL_FLAGS),
    MaThanhPhanHoSo: optionalText(),
    DuongDanTaiTepTin: optionalText(),
    DuocSoHoa: code(PORTAL_FLAGS),
    DuocTaiSuDung: code(PORTAL_REUSE_CODES),
    DuocLayTuKhoDMQG: optionalCode(PORTAL_FLAGS),
    MaKetQuaThayThe: optionalText(),
  })
  .superRefine((v, ctx) => {
    if (v.DuocTaiSuDung === '2' && !v.MaKetQuaThayThe) {
      ctx.addIssue({
        code: 'custom',
        path: ['MaKetQuaThayThe'],
        message: 'required when DuocTaiSuDung is "2" (an earlier result reused)',
      });
    }
  });

/** A fee amount in whole VND: a string of digits or a JSON number, as the setting says. */
const PortalAmountSchema = z.union(
  [
    z.number().int('must be a whole number of VND').min(0, 'must not be negative'),
    z.string().regex(/^\d{1,15}$/, 'must be a whole number of VND written in digits'),
  ],
  must('a whole number of VND (a string of digits or a number)'),
);

export const PortalFeeSchema = z.strictObject({
  TenPhiLePhi: text(),
  MaPhiLePhi: optionalText(),
  Gia: PortalAmountSchema,
  LoaiPhiLePhi: optionalText(),
  HinhThucThu: optionalText(),
});

export const PortalResultDocumentSchema = z.strictObject({
  TenGiayTo: text(),
  MaThanhPhanHoSo: optionalText(),
  GiayToId: optionalText(),
  DuongDanTepTinKetQua: optionalText(),
  MaGiayToKetQua: optionalText(),
});

/** One national database consulted (DSKetNoiCSDL item); the value set of MaCSDL is not published. */
export const PortalDatabaseSchema = z.strictObject({ MaCSDL: text() });

/** Field order is stable; mappers build objects in this order so the JSON is the same at every resend. */
const dossierShape = {
  MaHoSo: text(),
  MaTTHC: text(),
  TenTTHC: optionalText(),
  MaLinhVuc: optionalText(),
  TenLinhVuc: optionalText(),
  KenhThucHien: code(PORTAL_CHANNEL_CODES),
  ChuHoSo: text(),
  LoaiDoiTuong: code(PORTAL_APPLICANT_TYPE_CODES),
  MaDoiTuong: optionalText(),
  SoGiayToChuHoSo: optionalText(),
  DinhDanhCHS: z.array(PortalIdentitySchema, must('a list')).optional(),
  SoDienThoai: optionalText(),
  Email: optionalText(),
  Fax: optionalText(),
  TrichYeuHoSo: optionalText(),
  NgayNopHoSo: optionalDate(),
  NgayTiepNhan: PortalDateSchema,
  NgayHenTra: optionalDate(),
  TrangThaiHoSo: code(PORTAL_STATUS_CODES),
  NgayKetThucXuLy: optionalDate(),
  NgayTra: optionalDate(),
  NgayTuChoi: optionalDate(),
  HinhThuc: code(PORTAL_RETURN_CODES),
  DonViXuLy: optionalText(),
  GhiChu: optionalText(),
  NoiNopHoSo: optionalText(),
  HoSoCoThanhPhanSoHoa: optionalCode(PORTAL_FLAGS),
  TaiKhoanDuocXacThucVoiVNeID: optionalCode(PORTAL_FLAGS),
  DuocThanhToanTrucTuyen: optionalCode(PORTAL_ONLINE_PAYMENT_CODES),
  DSKetNoiCSDL: z.array(PortalDatabaseSchema, must('a list')).optional(),
  TaiLieuNop: z.array(PortalDocumentSchema, must('a list')).optional(),
  DanhSachLePhi: z.array(PortalFeeSchema, must('a list')).optional(),
  DanhSachGiayToKetQua: z.array(PortalResultDocumentSchema, must('a list')).optional(),
};

/** Cross-field rule: a due date (NgayHenTra), when there is one, is never before NgayTiepNhan. */
function checkDossierDates(
  v: { NgayTiepNhan: string; NgayHenTra?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  // No due date (absent or "") is allowed at every status: some procedures have none.
  if (v.NgayHenTra && v.NgayHenTra < v.NgayTiepNhan) {
    // Same fixed-width format and zone: string order is time order.
    ctx.addIssue({ code: 'custom', path: ['NgayHenTra'], message: 'is earlier than NgayTiepNhan' });
  }
}

/** A dossier object as we send it (and as the simulator accepts it). */
export const PortalDossierSchema = z.strictObject(dossierShape).superRefine(checkDossierDates);
export type PortalDossier = z.output<typeof PortalDossierSchema>;

/** A dossier object as the portal returns it from TraCuuHoSo: the same fields, extra keys tolerated. */
export const PortalStoredDossierSchema = z.looseObject(dossierShape);
export type PortalStoredDossier = z.output<typeof PortalStoredDossierSchema>;

// ---------------------------------------------------------------------------------------------------------
// Progress record (CapNhatTienDoHoSoMC) and lookup item (TraCuuHoSo)
// ---------------------------------------------------------------------------------------------------------

/** A progress record: who did the step and when; title, unit and the step's own dates may be `""`. */
export const PortalProgressSchema = z.strictObject({
  MaHoSo: text(),
  NguoiXuLy: text().max(PORTAL_OFFICER_NAME_MAX, `must be at most ${PORTAL_OFFICER_NAME_MAX} characters`),
  ChucDanh: optionalText(),
  ThoiDiemXuLy: PortalDateSchema,
  PhongBanXuLy: optionalText(),
  NoiDungXuLy: text(),
  TrangThai: code(PORTAL_STATUS_CODES),
  NgayBatDau: optionalDate(),
  NgayKetThucTheoQuyDinh: optionalDate(),
});
export type PortalProgress = z.output<typeof PortalProgressSchema>;

// ---------------------------------------------------------------------------------------------------------
// Session and envelopes
// ---------------------------------------------------------------------------------------------------------

export const PortalAuthRequestSchema = z.strictObject({ username: text(), password: text() });
export type PortalAuthRequest = z.output<typeof PortalAuthRequestSchema>;

/** `error_code` comes as a number (0, -3) or a string ("00", "-3") (docs/portal-contract.md). */
export const PortalErrorCodeSchema = z.union([z.number(), z.string()]);

/** Every answer of the application: `{error_code, message, session?, result?}`. */
export const PortalAnswerSchema = z.looseObject({
  error_code: PortalErrorCodeSchema,
  message: z.string().optional(),
  session: z.string().optional(),
  result: z.array(z.unknown()).optional(),
});
export type PortalAnswer = z.output<typeof PortalAnswerSchema>;

// ---------------------------------------------------------------------------------------------------------
// Outbox payloads (written by src/transfers/payloads.ts queueDossierSync / queueProgress)
// ---------------------------------------------------------------------------------------------------------

const isoInstant = z.iso.datetime({ offset: true });

/** The canonical dossier fields as stored in an outbox payload (already validated at intake). */
export const DossierDataSchema = z.object({
  procedure: CodeNameSchema,
  sector: CodeNameSchema.optional(),
  agency: CodeNameSchema,
  applicant: z.object({
    type: z.enum(APPLICANT_TYPES),
    fullName: z.string().min(1),
    idNumber: z.string().min(1).optional(),
    idKind: z.enum(ID_KINDS).optional(),
    phone: z.string().min(1).optional(),
    email: z.string().min(1).optional(),
    address: AddressSchema.optional(),
    portalAccountId: z.string().min(1).optional(),
    vneidVerified: z.boolean().optional(),
  }),
  summary: z.string().optional(),
  channel: z.enum(CHANNELS),
  submittedAt: isoInstant.optional(),
  submissionPlace: z.string().optional(),
  receivedAt: isoInstant,
  dueAt: isoInstant.optional(),
  resolvedAt: isoInstant.optional(),
  returnedAt: isoInstant.optional(),
  rejectedAt: isoInstant.optional(),
  resultReturn: z.object({ method: z.enum(RETURN_METHODS), address: AddressSchema.optional() }),
  documents: z.array(DocumentSchema).default([]),
  fees: z.array(FeeSchema).default([]),
  onlinePayment: z.enum(ONLINE_PAYMENTS).optional(),
  nationalDatabases: z.array(z.string().min(1)).optional(),
  results: z.array(ResultDocumentSchema).optional(),
  note: z.string().optional(),
}) satisfies z.ZodType<DossierData>;

/** Outbox payload of a `dossier_sync` transfer. */
export const DossierSyncPayloadSchema = z.object({
  op: z.enum(['insert', 'update']),
  version: z.number().int().min(0),
  code: z.string().min(1),
  status: StatusSchema,
  statusAt: isoInstant,
  dossier: DossierDataSchema,
});
export type DossierSyncPayload = z.output<typeof DossierSyncPayloadSchema>;

/**
 * Outbox payload of a `progress` transfer. `stepStartedAt` and `stepDueAt` are the step's own start and
 * deadline, as the event gave them. Payloads queued by earlier versions also carry the dossier's
 * `receivedAt` and `dueAt`; they are accepted and ignored (they are not the step's dates).
 */
export const ProgressPayloadSchema = z.object({
  code: z.string().min(1),
  historyId: z.number().int(),
  status: StatusSchema,
  at: isoInstant,
  note: z.string().optional(),
  officer: OfficerSchema.optional(),
  stepStartedAt: isoInstant.optional(),
  stepDueAt: isoInstant.optional(),
  receivedAt: isoInstant.optional(),
  dueAt: isoInstant.optional(),
});
export type ProgressPayload = z.output<typeof ProgressPayloadSchema>;
