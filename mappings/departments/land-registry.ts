/**
 * The land-registry office's software (Văn phòng đăng ký đất đai), REST + JSON (docs/departments.md,
 * The shipped profile). Its own field names and status codes, record ids like `VBD-2026-000123`, dates
 * as `dd/MM/yyyy HH:mm:ss` in Vietnam time, a bearer token, pages of at most 100.
 */
import { type DepartmentProfile, DepartmentProfileSchema } from './profile.js';

export const landRegistryProfile: DepartmentProfile = DepartmentProfileSchema.parse({
  profile: 'land-registry',
  title: 'Phần mềm Văn phòng đăng ký đất đai (REST + JSON)',
  transport: 'rest-json',
  auth: { scheme: 'bearer' },
  paging: { style: 'page', pageParam: 'trang', sizeParam: 'soLuong', maxSize: 100 },
  dateFormat: 'dd/MM/yyyy HH:mm:ss',
  endpoints: { submit: '/api/v1/ho-so', event: '/api/v1/ho-so/{recordId}/tien-do' },
  // The same receipt number submitted again updates its record (same record id): field updates go so.
  resubmitUpdates: true,
  // Its change feed: `GET /api/v1/thay-doi?sau=<cursor>&soLuong=<n>` →
  // `{"danhSach": [{"thuTu": "17", "loai": "HO_SO" | "TIEN_DO", "maHoSoVbd": "VBD-…", …fields}], "conTro": "17"}`.
  poll: {
    path: '/api/v1/thay-doi',
    cursorParam: 'sau',
    sizeParam: 'soLuong',
    pageSize: 50,
    itemsField: 'danhSach',
    nextCursorField: 'conTro',
    positionField: 'thuTu',
    kindField: 'loai',
    kinds: { dossier: 'HO_SO', event: 'TIEN_DO' },
    recordIdField: 'maHoSoVbd',
    intervalSeconds: 30,
  },
  recordId: { field: 'maHoSoVbd', pattern: '^VBD-\\d{4}-\\d{6}$' },
  dossierFields: {
    code: 'soBienNhan',
    agencyCode: 'maCoQuan',
    agencyName: 'tenCoQuan',
    procedureCode: 'maThuTuc',
    procedureName: 'tenThuTuc',
    applicantType: 'loaiNguoiNop',
    applicantName: 'hoTenNguoiNop',
    applicantIdNumber: 'soGiayTo',
    applicantPhone: 'dienThoai',
    applicantAddress: 'diaChiThuongTru',
    summary: 'trichYeu',
    channel: 'hinhThucNop',
    receivedAt: 'ngayNhan',
    dueAt: 'ngayHenTra',
    status: 'maTrangThai',
  },
  eventFields: { code: 'soBienNhan', status: 'maTrangThai', at: 'thoiGian', note: 'noiDung' },
  codes: {
    statuses: {
      submitted: 'CHO_TIEP_NHAN',
      received: 'DA_TIEP_NHAN',
      rejected: 'TU_CHOI',
      processing: 'DANG_THAM_DINH',
      supplement_requested: 'YEU_CAU_BO_SUNG',
      payment_requested: 'CHO_NOP_THUE',
      withdrawn: 'RUT_HO_SO',
      suspended: 'TAM_DUNG',
      resolved: 'DA_CAP_GCN',
      returned: 'DA_TRA_KET_QUA',
    },
    channels: { counter: 'TRUC_TIEP', online: 'TRUC_TUYEN', postal: 'BUU_CHINH' },
    applicantTypes: {
      citizen: 'CA_NHAN',
      business: 'DOANH_NGHIEP',
      agency: 'CO_QUAN',
      organization: 'TO_CHUC',
    },
    procedures: {
      '1.004227': 'DD-XD-01',
      '1.003010': 'DD-01',
      '1.001045': 'DD-05',
      '2.000889': 'DD-12',
    },
  },
});
