/**
 * One realistic dossier at each portal status 1–10, as the gateway holds it at that point of its life
 * (an online building-permit application received by a provincial one-stop center), mapped to the dossier
 * object and the progress record of the step that brought it there. Each checks the fields a portal
 * officer reads: the status, the dates that have happened (and only those), the due date, results.
 */
import { describe, expect, it } from 'vitest';
import { portalMapper, STATUS_DESCRIPTIONS } from '../../../mappings/portal/index.js';
import type { DossierStatus } from '../../../schemas/dossier.js';
import {
  type DossierSyncPayload,
  PortalDossierSchema,
  PortalProgressSchema,
  type ProgressPayload,
} from '../../../schemas/portal.js';

const CODE = '000.00.15.H24-261127-0042';

/** The dossier as received: online, with a portal account, two documents and a fee. */
const RECEIVED: DossierSyncPayload['dossier'] = {
  procedure: { code: '1.009994.000.00.00.H24', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ' },
  sector: { code: 'XD', name: 'Xây dựng' },
  agency: { code: '000.00.15.H24', name: 'Sở Xây dựng tỉnh Bắc Ninh' },
  applicant: {
    type: 'citizen',
    fullName: 'Trần Minh Quân',
    idNumber: '027091004321',
    idKind: 'cccd',
    phone: '+84983112233',
    email: 'quan.tm@example.vn',
    portalAccountId: 'CD-1188273',
    vneidVerified: true,
  },
  summary: 'Xin cấp phép xây dựng nhà ở 3 tầng tại phường Kinh Bắc',
  channel: 'online',
  submittedAt: '2026-11-27T21:40:12+07:00',
  submissionPlace: 'Cổng Dịch vụ công quốc gia',
  receivedAt: '2026-11-28T08:05:00+07:00',
  dueAt: '2026-12-19T17:00:00+07:00',
  resultReturn: { method: 'postal', address: { line: 'Số 8 ngõ 12 phố Ngô Gia Tự', communeCode: '09187' } },
  documents: [
    {
      name: 'Đơn đề nghị cấp giấy phép xây dựng (Mẫu 01)',
      componentCode: 'TP1',
      id: 'DVC-TEP-55120',
      digitized: true,
      url: 'https://tep.example/dvc/55120.pdf',
    },
    {
      name: 'Giấy chứng nhận quyền sử dụng đất',
      componentCode: 'TP2',
      digitized: true,
      reused: true,
      fromNationalStore: true,
    },
  ],
  fees: [{ code: 'LPXD', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75_000 }],
  onlinePayment: 'national_portal',
  nationalDatabases: ['CSDLQGDC'],
};

const RESULT = {
  name: 'Giấy phép xây dựng số 311/GPXD',
  componentCode: 'KQ1',
  documentId: 'GPXD-2026-311',
  url: 'https://tep.example/ket-qua/gpxd-311.pdf',
  resultCode: 'GPXD-311',
};

interface Fixture {
  status: DossierStatus;
  code: string;
  at: string;
  dossier: Partial<DossierSyncPayload['dossier']>;
  step: Partial<ProgressPayload>;
  /** Dates the object must carry (and only these of the three outcome dates). */
  outcome: { NgayKetThucXuLy?: string; NgayTra?: string; NgayTuChoi?: string };
  dueDate: string;
}

const OFFICER = { name: 'Nguyễn Thu Hà', title: 'Chuyên viên', unit: 'Phòng Quản lý xây dựng' };

const FIXTURES: Fixture[] = [
  {
    status: 'submitted',
    code: '1',
    at: '2026-11-27T21:40:12+07:00',
    dossier: { dueAt: undefined },
    step: {},
    outcome: {},
    dueDate: '',
  },
  {
    status: 'received',
    code: '2',
    at: '2026-11-28T08:05:00+07:00',
    dossier: {},
    step: { officer: { name: 'Lê Thị Mai', unit: 'Bộ phận Một cửa' } },
    outcome: {},
    dueDate: '20261219170000',
  },
  {
    status: 'rejected',
    code: '3',
    at: '2026-11-28T09:10:00+07:00',
    dossier: { dueAt: undefined, rejectedAt: '2026-11-28T09:10:00+07:00' },
    step: { note: 'Thiếu bản vẽ thiết kế, không đủ điều kiện tiếp nhận' },
    outcome: { NgayTuChoi: '20261128091000' },
    dueDate: '',
  },
  {
    status: 'processing',
    code: '4',
    at: '2026-11-28T14:00:00+07:00',
    dossier: {},
    step: {
      officer: OFFICER,
      stepStartedAt: '2026-11-28T14:00:00+07:00',
      stepDueAt: '2026-12-10T17:00:00+07:00',
    },
    outcome: {},
    dueDate: '20261219170000',
  },
  {
    status: 'supplement_requested',
    code: '5',
    at: '2026-12-01T10:30:00+07:00',
    dossier: {},
    step: { officer: OFFICER, note: 'Đề nghị bổ sung bản vẽ mặt bằng móng' },
    outcome: {},
    dueDate: '20261219170000',
  },
  {
    status: 'payment_requested',
    code: '6',
    at: '2026-12-03T09:00:00+07:00',
    dossier: { fees: [{ code: 'PTD', name: 'Phí thẩm định', amount: 500_000 }] },
    step: { officer: OFFICER },
    outcome: {},
    dueDate: '20261219170000',
  },
  {
    status: 'withdrawn',
    code: '7',
    at: '2026-12-04T16:20:00+07:00',
    dossier: {},
    step: { note: 'Công dân đề nghị rút hồ sơ để điều chỉnh thiết kế' },
    outcome: {},
    dueDate: '20261219170000',
  },
  {
    status: 'suspended',
    code: '8',
    at: '2026-12-05T08:45:00+07:00',
    dossier: { dueAt: undefined },
    step: { officer: OFFICER, note: 'Tạm dừng do có tranh chấp đất đai' },
    outcome: {},
    dueDate: '',
  },
  {
    status: 'resolved',
    code: '9',
    at: '2026-12-16T15:00:00+07:00',
    dossier: { resolvedAt: '2026-12-16T15:00:00+07:00', results: [RESULT] },
    step: { officer: { ...OFFICER, name: 'Phạm Văn Dũng', title: 'Phó Giám đốc Sở' } },
    outcome: { NgayKetThucXuLy: '20261216150000' },
    dueDate: '20261219170000',
  },
  {
    status: 'returned',
    code: '10',
    at: '2026-12-18T10:00:00+07:00',
    dossier: {
      resolvedAt: '2026-12-16T15:00:00+07:00',
      returnedAt: '2026-12-18T10:00:00+07:00',
      results: [RESULT],
    },
    step: {},
    outcome: { NgayKetThucXuLy: '20261216150000', NgayTra: '20261218100000' },
    dueDate: '20261219170000',
  },
];

/** A payload as the store hands it to the worker: JSON text, undefined members gone. */
const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe.each(FIXTURES)('a dossier at status $status (TrangThaiHoSo $code)', (f) => {
  const sync: DossierSyncPayload = {
    op: 'update',
    version: 3,
    code: CODE,
    status: f.status,
    statusAt: f.at,
    dossier: { ...RECEIVED, ...f.dossier },
  };
  const object = portalMapper.dossier(stored(sync)).object;
  const progress = portalMapper.progress(
    stored({ code: CODE, historyId: 10, status: f.status, at: f.at, ...f.step }),
  ).record;

  it('maps to a dossier object the contract accepts, with its status and dates', () => {
    expect(PortalDossierSchema.safeParse(object).success).toBe(true);
    expect(object).toMatchObject({
      MaHoSo: CODE,
      TrangThaiHoSo: f.code,
      KenhThucHien: '2',
      MaDoiTuong: 'CD-1188273',
      DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '027091004321' }],
      NgayNopHoSo: '20261127214012',
      NgayTiepNhan: '20261128080500',
      NgayHenTra: f.dueDate,
      NoiNopHoSo: 'Cổng Dịch vụ công quốc gia',
      TaiKhoanDuocXacThucVoiVNeID: '1',
      DuocThanhToanTrucTuyen: '1',
      DSKetNoiCSDL: [{ MaCSDL: 'CSDLQGDC' }],
      HinhThuc: '1',
    });
    const outcomeDates = {
      ...(object.NgayKetThucXuLy ? { NgayKetThucXuLy: object.NgayKetThucXuLy } : {}),
      ...(object.NgayTra ? { NgayTra: object.NgayTra } : {}),
      ...(object.NgayTuChoi ? { NgayTuChoi: object.NgayTuChoi } : {}),
    };
    expect(outcomeDates).toEqual(f.outcome);
    expect(object.TaiLieuNop?.map((d) => [d.TepDinhKemId, d.DuocTaiSuDung, d.DuocLayTuKhoDMQG])).toEqual([
      ['DVC-TEP-55120', '0', undefined],
      [undefined, '1', '1'],
    ]);
    for (const fee of object.DanhSachLePhi ?? []) expect(typeof fee.Gia).toBe('string');
    if (f.status === 'resolved' || f.status === 'returned') {
      expect(object.DanhSachGiayToKetQua).toEqual([
        {
          TenGiayTo: 'Giấy phép xây dựng số 311/GPXD',
          MaThanhPhanHoSo: 'KQ1',
          GiayToId: 'GPXD-2026-311',
          DuongDanTepTinKetQua: 'https://tep.example/ket-qua/gpxd-311.pdf',
          MaGiayToKetQua: 'GPXD-311',
        },
      ]);
    } else {
      expect(object).not.toHaveProperty('DanhSachGiayToKetQua');
    }
  });

  it('maps its step to a progress record that invents no officer, title, unit or date', () => {
    expect(PortalProgressSchema.safeParse(progress).success).toBe(true);
    expect(progress.TrangThai).toBe(f.code);
    expect(progress.NoiDungXuLy).toBe(f.step.note ?? STATUS_DESCRIPTIONS[f.status]);
    expect(progress.NguoiXuLy).toBe(f.step.officer?.name ?? 'Hệ thống');
    expect(progress.ChucDanh).toBe(f.step.officer?.title ?? '');
    expect(progress.PhongBanXuLy).toBe(f.step.officer?.unit ?? '');
    const stepDates = [progress.NgayBatDau, progress.NgayKetThucTheoQuyDinh];
    expect(stepDates).toEqual(f.step.stepStartedAt ? ['20261128140000', '20261210170000'] : ['', '']);
  });
});
