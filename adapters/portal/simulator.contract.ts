/**
 * The objects of the portal's contract as the simulator accepts them (docs/portal-contract.md): every
 * field a public client sends, in the representations public clients use, and what the contract says is
 * required. It is deliberately not `schemas/portal.ts` (what the gateway sends): the simulator must also
 * take what other clients send.
 *
 * - Optional texts and dates may be `""`; a dossier without a due date is lawful.
 * - Flags and small codes inside documents and fees may be strings or numbers (`DuocTaiSuDung` 0/1/2);
 *   the dossier's own codes (`TrangThaiHoSo`, `KenhThucHien`, …) are strings.
 * - `Gia` is a number or a string of digits; `isUpdating` is a JSON boolean or `"True"`/`"False"`.
 * - `NguoiXuLy` is at most 50 characters; `DuocTaiSuDung` 2 needs `MaKetQuaThayThe`.
 * - Unknown keys are refused, so a misspelt field of our own mapping shows here.
 * Messages are short reasons; the field is the issue path.
 */
import { z } from 'zod';
import { isPortalDate } from '../../schemas/portal.js';

/** Items per call the simulator accepts (docs/portal-contract.md, Integration calls). */
export const SIM_LIMITS = { DongBoHoSoMC: 50, CapNhatTienDoHoSoMC: 10 } as const;
export const SIM_SERVICES = ['DongBoHoSoMC', 'CapNhatTienDoHoSoMC', 'TraCuuHoSo'] as const;
export type SimService = (typeof SIM_SERVICES)[number];

/** Statuses before reception, where NgayTiepNhan may be empty: 1 Mới đăng ký, 3 Không được tiếp nhận. */
const NOT_RECEIVED = ['1', '3'];

const must = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : `must be ${what}`),
});
const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

const requiredText = () => z.string(must('a string')).refine((s) => s.trim() !== '', 'must not be empty');
const optionalText = () => z.string(must('a string')).optional();
const dateMessage = 'must be a date yyyyMMddHHmmss (Asia/Ho_Chi_Minh) naming a real day and time';
const requiredDate = () => z.string(must('a date string yyyyMMddHHmmss')).refine(isPortalDate, dateMessage);
const optionalDate = () =>
  z
    .string(must('a date string yyyyMMddHHmmss or ""'))
    .refine((s) => s === '' || isPortalDate(s), dateMessage)
    .optional();
/** A code sent as a string. */
const code = (values: readonly string[]) =>
  z
    .string(must(`one of the string codes ${quoted(values)}`))
    .refine((v) => values.includes(v), `must be one of the string codes ${quoted(values)}`);
/** A flag or small code sent as a string or a number; `""` counts as not sent. */
const flag = (values: readonly string[]) =>
  z
    .union([z.string(), z.number()], must(`one of ${quoted(values)} (string or number)`))
    .refine((v) => v === '' || values.includes(String(v)), `must be one of ${quoted(values)}`)
    .optional();

const STATUSES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

export const SimIdentitySchema = z.strictObject({
  LoaiDinhDanh: z
    .union([z.string(), z.number()], must('"1" or "2"'))
    .refine((v) => ['1', '2'].includes(String(v)), 'must be "1" or "2"'),
  SoDinhDanh: requiredText(),
});

export const SimDocumentSchema = z
  .strictObject({
    TepDinhKemId: optionalText(),
    TenTepDinhKem: optionalText(),
    IsDeleted: z.union([z.boolean(), z.string(), z.number()]).optional(),
    MaThanhPhanHoSo: optionalText(),
    DuongDanTaiTepTin: optionalText(),
    DuocSoHoa: flag(['0', '1']),
    DuocTaiSuDung: flag(['0', '1', '2']),
    DuocLayTuKhoDMQG: flag(['0', '1']),
    MaKetQuaThayThe: optionalText(),
  })
  .superRefine((d, ctx) => {
    if (String(d.DuocTaiSuDung) === '2' && !d.MaKetQuaThayThe?.trim()) {
      ctx.addIssue({
        code: 'custom',
        path: ['MaKetQuaThayThe'],
        message: 'required when DuocTaiSuDung is 2 (a reused earlier result)',
      });
    }
  });

export const SimFeeSchema = z.strictObject({
  TenPhiLePhi: optionalText(),
  MaPhiLePhi: optionalText(),
  Gia: z
    .union([z.number(), z.string()], must('an amount (number or string of digits)'))
    .refine(
      (v) => (typeof v === 'number' ? Number.isFinite(v) && v >= 0 : /^\d+(\.\d+)?$/.test(v.trim())),
      'must be a non-negative amount (number or string of digits)',
    )
    .optional(),
  LoaiPhiLePhi: z.union([z.string(), z.number()]).optional(),
  HinhThucThu: z.union([z.string(), z.number()]).optional(),
});

export const SimResultDocumentSchema = z.strictObject({
  TenGiayTo: optionalText(),
  MaThanhPhanHoSo: optionalText(),
  GiayToId: optionalText(),
  DuongDanTepTinKetQua: optionalText(),
  MaGiayToKetQua: optionalText(),
});

const list = <T extends z.ZodType>(item: T) => z.array(item, must('a list')).optional();

export const SimDossierSchema = z
  .strictObject({
    MaHoSo: requiredText(),
    MaTTHC: requiredText(),
    TenTTHC: requiredText(),
    MaLinhVuc: optionalText(),
    TenLinhVuc: optionalText(),
    KenhThucHien: code(['1', '2', '3']),
    ChuHoSo: requiredText(),
    LoaiDoiTuong: code(['1', '2', '3', '4']),
    MaDoiTuong: optionalText(),
    SoGiayToChuHoSo: optionalText(),
    DinhDanhCHS: list(SimIdentitySchema),
    SoDienThoai: optionalText(),
    Email: optionalText(),
    Fax: optionalText(),
    TrichYeuHoSo: optionalText(),
    NgayNopHoSo: optionalDate(),
    NgayTiepNhan: optionalDate(),
    NgayHenTra: optionalDate(),
    TrangThaiHoSo: code(STATUSES),
    NgayKetThucXuLy: optionalDate(),
    NgayTra: optionalDate(),
    NgayTuChoi: optionalDate(),
    HinhThuc: code(['0', '1']),
    NoiNopHoSo: z.union([z.string(), z.number()]).optional(),
    DonViXuLy: optionalText(),
    GhiChu: optionalText(),
    HoSoCoThanhPhanSoHoa: flag(['0', '1']),
    TaiKhoanDuocXacThucVoiVNeID: flag(['0', '1']),
    DuocThanhToanTrucTuyen: flag(['1', '2']),
    DSKetNoiCSDL: list(z.unknown()),
    TaiLieuNop: list(SimDocumentSchema),
    DanhSachLePhi: list(SimFeeSchema),
    DanhSachGiayToKetQua: list(SimResultDocumentSchema),
    // Sent by a public client, unused by the gateway: accepted, not checked.
    ThongTinKhac: optionalText(),
    ThongTinTra: optionalText(),
    DanhSachTepDinhKemKhac: list(z.unknown()),
    DanhSachHoSoBoSung: list(z.unknown()),
  })
  .superRefine((d, ctx) => {
    if (!d.NgayTiepNhan && !NOT_RECEIVED.includes(d.TrangThaiHoSo)) {
      ctx.addIssue({
        code: 'custom',
        path: ['NgayTiepNhan'],
        message: `required once the dossier is received (TrangThaiHoSo "${d.TrangThaiHoSo}")`,
      });
    }
  });
export type SimDossier = z.output<typeof SimDossierSchema>;

export const SimProgressSchema = z.strictObject({
  MaHoSo: requiredText(),
  NguoiXuLy: requiredText().refine((s) => [...s].length <= 50, 'must be at most 50 characters'),
  ChucDanh: optionalText(),
  ThoiDiemXuLy: requiredDate(),
  PhongBanXuLy: optionalText(),
  NoiDungXuLy: requiredText(),
  TrangThai: code(STATUSES),
  NgayBatDau: optionalDate(),
  NgayKetThucTheoQuyDinh: optionalDate(),
});
export type SimProgress = z.output<typeof SimProgressSchema>;

/** The part of every integration request the simulator reads before the service's own part. */
export const SimEnvelopeSchema = z.looseObject({
  session: z.unknown(),
  madonvi: requiredText(),
  service: z.string(must('a service name')),
});

/** `isUpdating` as a JSON boolean or as the strings `"True"`/`"False"` (any case). */
const isUpdating = z
  .union([z.boolean(), z.string()], must('true/false or "True"/"False"'))
  .refine(
    (v) => typeof v === 'boolean' || /^(true|false)$/i.test(v.trim()),
    'must be true/false or "True"/"False"',
  )
  .transform((v) => (typeof v === 'boolean' ? v : v.trim().toLowerCase() === 'true'));

export const SimSyncBodySchema = z.looseObject({ isUpdating, data: z.array(z.unknown(), must('a list')) });
export const SimProgressBodySchema = z.looseObject({ data: z.array(z.unknown(), must('a list')) });
/** TraCuuHoSo: one code at the top level. */
export const SimLookupBodySchema = z.looseObject({ mahoso: requiredText() });
