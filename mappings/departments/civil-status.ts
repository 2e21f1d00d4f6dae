/**
 * The civil-status software (phần mềm hộ tịch), SOAP 1.1 (docs/departments.md, Profiles): a description
 * only for now. Element names without diacritics, numeric status codes, dates as `yyyyMMddHHmmss` in
 * Vietnam time, a WS-Security UsernameToken, operations `TiepNhanHoSoLienThong` and `CapNhatTrangThai`.
 * The mapping reads it both ways; forwarding refuses it until a SOAP client is wired in.
 */
import { type DepartmentProfile, DepartmentProfileSchema } from './profile.js';

export const civilStatusProfile: DepartmentProfile = DepartmentProfileSchema.parse({
  profile: 'civil-status',
  title: 'Phần mềm đăng ký, quản lý hộ tịch (SOAP 1.1)',
  transport: 'soap',
  auth: { scheme: 'ws-security' },
  paging: { style: 'none' },
  dateFormat: 'yyyyMMddHHmmss',
  endpoints: { submit: 'TiepNhanHoSoLienThong', event: 'CapNhatTrangThai' },
  recordId: { field: 'SoHoSoHoTich', pattern: '^HTX-\\d{4}-\\d{6}$' },
  dossierFields: {
    code: 'SoBienNhan',
    agencyCode: 'MaCoQuan',
    agencyName: 'TenCoQuan',
    procedureCode: 'MaThuTucHoTich',
    procedureName: 'TenThuTuc',
    applicantType: 'LoaiNguoiYeuCau',
    applicantName: 'HoTenNguoiYeuCau',
    applicantIdNumber: 'SoGiayToTuyThan',
    applicantPhone: 'SoDienThoai',
    applicantAddress: 'NoiCuTru',
    summary: 'NoiDungYeuCau',
    channel: 'HinhThucTiepNhan',
    receivedAt: 'NgayTiepNhan',
    dueAt: 'NgayHenTra',
    status: 'TrangThai',
  },
  eventFields: { code: 'SoBienNhan', status: 'TrangThai', at: 'ThoiDiem', note: 'GhiChu' },
  codes: {
    statuses: {
      submitted: '0',
      received: '1',
      processing: '2',
      supplement_requested: '3',
      payment_requested: '4',
      suspended: '5',
      resolved: '6',
      returned: '7',
      rejected: '8',
      withdrawn: '9',
    },
    channels: { counter: '1', online: '2', postal: '3' },
    applicantTypes: { citizen: 'CD', business: 'DN', agency: 'CQ', organization: 'TC' },
    procedures: { '1.001193': 'KS01', '1.000894': 'KH01', '1.000656': 'KT01' },
  },
});
