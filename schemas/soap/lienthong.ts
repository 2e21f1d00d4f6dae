/**
 * The bodies of LienThongService's SOAP operations (`schemas/soap/lienthong.wsdl`), as the SOAP parser
 * hands them over: every leaf is text. These schemas check only the shape (which elements are text, which
 * are groups, which repeat); the field rules are the canonical ones, applied after the mapping in
 * `mappings/soap/lienthong.ts` (docs/soap.md).
 */
import { z } from 'zod';

/** The longest text any single element may carry; the canonical rules are stricter per field. */
const MAX_TEXT = 10_000;

/** A parsed leaf: text, or `{ $value }` when the element carried attributes; empty means absent. */
function unwrap(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if ('$value' in record) return unwrap(record.$value);
    const keys = Object.keys(record).filter((k) => k !== 'attributes');
    if (keys.length === 0) return undefined;
  }
  if (value === '' || value === null) return undefined;
  return value;
}

/** One text element (absent when empty). */
export const soapText = () =>
  z.preprocess(
    unwrap,
    z
      .string({ error: 'must be text' })
      .max(MAX_TEXT, { error: `at most ${MAX_TEXT} characters` })
      .optional(),
  );

/** A group element (absent when empty). */
const group = <T extends z.ZodRawShape>(shape: T) => z.preprocess(unwrap, z.object(shape).optional());

/** A repeated element: one occurrence parses as an object, several as an array. */
const repeated = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => {
    const u = unwrap(v);
    return u === undefined || Array.isArray(u) ? u : [u];
  }, z.array(item).max(max).optional());

export const SoapAddressSchema = z.object({
  DiaChiChiTiet: soapText(),
  MaXa: soapText(),
  MaTinh: soapText(),
});

export const SoapApplicantSchema = z.object({
  LoaiDoiTuong: soapText(),
  HoTen: soapText(),
  SoGiayTo: soapText(),
  SoDienThoai: soapText(),
  Email: soapText(),
  DiaChi: group(SoapAddressSchema.shape),
});

export const SoapDocumentSchema = z.object({
  TenGiayTo: soapText(),
  MaThanhPhan: soapText(),
  MaBam: soapText(),
  DaSoHoa: soapText(),
  DuongDan: soapText(),
});

export const SoapFeeSchema = z.object({ MaPhi: soapText(), TenPhi: soapText(), SoTien: soapText() });

/** `TiepNhanHoSo`: a dossier submitted or updated by the caller's record id. */
export const TiepNhanHoSoSchema = z.object({
  MaHoSoNguon: soapText(),
  MaHoSo: soapText(),
  MaThuTuc: soapText(),
  TenThuTuc: soapText(),
  MaLinhVuc: soapText(),
  TenLinhVuc: soapText(),
  MaDonVi: soapText(),
  TenDonVi: soapText(),
  ChuHoSo: group(SoapApplicantSchema.shape),
  TrichYeu: soapText(),
  KenhNop: soapText(),
  NgayTiepNhan: soapText(),
  NgayHenTra: soapText(),
  TrangThai: soapText(),
  HinhThucTraKetQua: soapText(),
  ThanhPhanHoSo: group({ GiayTo: repeated(SoapDocumentSchema, 200) }),
  LePhi: group({ KhoanPhi: repeated(SoapFeeSchema, 50) }),
  GhiChu: soapText(),
});
export type TiepNhanHoSo = z.output<typeof TiepNhanHoSoSchema>;

/** `CapNhatTienDo`: a status event for the caller's record. */
export const CapNhatTienDoSchema = z.object({
  MaHoSoNguon: soapText(),
  TrangThai: soapText(),
  ThoiDiem: soapText(),
  NoiDung: soapText(),
  CanBo: group({ HoTen: soapText(), ChucVu: soapText(), DonVi: soapText() }),
  NgayHenTraMoi: soapText(),
});
export type CapNhatTienDo = z.output<typeof CapNhatTienDoSchema>;

/** `TraCuuHoSo`: exactly one of the dossier code and the caller's record id. */
export const TraCuuHoSoSchema = z.object({ MaHoSo: soapText(), MaHoSoNguon: soapText() });
export type TraCuuHoSo = z.output<typeof TraCuuHoSoSchema>;

/** What `TraCuuHoSo` answers: the portal's status number and dates as `yyyyMMddHHmmss`. */
export interface TraCuuHoSoAnswer {
  IdHoSo: string;
  MaHoSo: string;
  TrangThai: string;
  MaThuTuc: string;
  MaDonVi: string;
  NgayTiepNhan: string;
  NgayHenTra?: string;
}

/** What `TiepNhanHoSo` and `CapNhatTienDo` answer. */
export interface WriteAnswer {
  KetQua: string;
  IdHoSo: string;
  MaHoSo: string;
  TrangThai: string;
}
