/** Valid portal wire objects for adapter tests, made by the real mappings from canonical payloads. */

import { toPortalDossier, toPortalProgress } from '../../../mappings/portal/index.js';
import type { DossierStatus } from '../../../schemas/dossier.js';
import type { DossierSyncPayload, PortalDossier, PortalProgress } from '../../../schemas/portal.js';

/** A dossier code of the demo agency: `000.00.15.H24-261128-000n`. */
export function dossierCode(n: number): string {
  return `000.00.15.H24-261128-${String(n).padStart(4, '0')}`;
}

export function syncPayload(code: string, status: DossierStatus = 'received'): DossierSyncPayload {
  return {
    op: 'insert',
    version: 1,
    code,
    status,
    statusAt: '2026-11-28T08:30:00+07:00',
    dossier: {
      procedure: { code: '1.004227', name: 'Cấp giấy phép xây dựng' },
      agency: { code: '000.00.15.H24', name: 'Sở Xây dựng' },
      applicant: { type: 'citizen', fullName: 'Nguyễn Văn An', idNumber: '027090000123', idKind: 'cccd' },
      channel: 'counter',
      receivedAt: '2026-11-28T08:30:00+07:00',
      dueAt: '2026-12-05T17:00:00+07:00',
      resultReturn: { method: 'counter' },
      documents: [{ name: 'Đơn đề nghị', digitized: true }],
      fees: [{ name: 'Lệ phí', amount: 50_000 }],
    },
  };
}

export function dossierObject(code: string, status: DossierStatus = 'received'): PortalDossier {
  return toPortalDossier(syncPayload(code, status));
}

/** A progress step `minutes` after reception. */
export function progressRecord(code: string, status: DossierStatus, minutes: number): PortalProgress {
  const at = new Date(Date.parse('2026-11-28T08:30:00+07:00') + minutes * 60_000).toISOString();
  return toPortalProgress({
    code,
    historyId: minutes,
    status,
    at,
    receivedAt: '2026-11-28T08:30:00+07:00',
    dueAt: '2026-12-05T17:00:00+07:00',
  });
}

/**
 * A dossier object in the shape a public client sends (docs/portal-contract.md): every contract field,
 * optional texts and dates as `""`, flags and Gia as strings, no due date.
 */
export function realClientObject(code: string): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.004227',
    TenTTHC: 'Cấp giấy phép xây dựng',
    MaLinhVuc: 'XD',
    TenLinhVuc: 'Xây dựng',
    KenhThucHien: '2',
    ChuHoSo: 'Nguyễn Văn An',
    LoaiDoiTuong: '1',
    MaDoiTuong: '',
    SoGiayToChuHoSo: '027090000123',
    DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '027090000123' }],
    SoDienThoai: '0912345678',
    Email: '',
    Fax: '',
    TrichYeuHoSo: 'Xin cấp phép',
    NgayNopHoSo: '20261128080000',
    NgayTiepNhan: '20261128083000',
    NgayHenTra: '',
    TrangThaiHoSo: '2',
    NgayKetThucXuLy: '',
    NgayTra: '',
    NgayTuChoi: '',
    HinhThuc: '0',
    NoiNopHoSo: '2',
    DonViXuLy: 'Sở Xây dựng',
    GhiChu: '',
    HoSoCoThanhPhanSoHoa: '1',
    TaiKhoanDuocXacThucVoiVNeID: '1',
    DuocThanhToanTrucTuyen: '1',
    DSKetNoiCSDL: [{ MaCSDL: '7' }],
    TaiLieuNop: [
      {
        TepDinhKemId: '',
        TenTepDinhKem: 'Đơn đề nghị',
        IsDeleted: '0',
        MaThanhPhanHoSo: 'TP1',
        DuongDanTaiTepTin: 'https://tep.example.vn/1',
        DuocSoHoa: '1',
        DuocTaiSuDung: '0',
        DuocLayTuKhoDMQG: '0',
        MaKetQuaThayThe: '',
      },
    ],
    DanhSachLePhi: [
      { TenPhiLePhi: 'Lệ phí', MaPhiLePhi: 'LP1', Gia: '75000', LoaiPhiLePhi: '1', HinhThucThu: '1' },
    ],
    DanhSachGiayToKetQua: [
      {
        TenGiayTo: 'Giấy phép',
        MaThanhPhanHoSo: '',
        GiayToId: '',
        DuongDanTepTinKetQua: 'https://tep.example.vn/kq',
        MaGiayToKetQua: 'KQ1',
      },
    ],
  };
}

/** A progress record as a public client sends it: the optional fields as `""`. */
export function realClientProgress(code: string, officer: string): Record<string, unknown> {
  return {
    MaHoSo: code,
    NguoiXuLy: officer,
    ChucDanh: '',
    ThoiDiemXuLy: '20261128090000',
    PhongBanXuLy: '',
    NoiDungXuLy: 'Tiếp nhận hồ sơ',
    TrangThai: '2',
    NgayBatDau: '',
    NgayKetThucTheoQuyDinh: '',
  };
}
