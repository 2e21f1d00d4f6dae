/**
 * The canonical fields of issue #12, end to end: pushed over HTTP, queued, mapped and delivered by the
 * worker to the portal simulator over a real socket. A dossier without a due date goes all the way to
 * resolved (it used to be dead-lettered), and the portal holds every new field as sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/delivery.js';
import { dossierBody, json } from '../helpers/gateway.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function event(id: string, body: Record<string, unknown>) {
  const res = await h.gw.request('POST', `/v1/dossiers/${id}/events`, { body });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
}

describe('delivery of the portal fields', () => {
  it('delivers a dossier without a due date through to resolved, with NgayHenTra ""', async () => {
    h = await createHarness();
    const { dueAt: _, ...body } = dossierBody();
    const d = await json(await h.gw.request('POST', '/v1/dossiers', { body }));
    expect(d.dueAt).toBeUndefined();
    await event(d.id, { status: 'processing', at: '2026-11-29T09:00:00+07:00' });
    await event(d.id, { status: 'resolved', at: '2026-12-01T10:00:00+07:00', note: 'Đã cấp giấy phép' });
    await h.drain();
    expect(h.transfers().map((t) => t.state)).toEqual(Array(5).fill('delivered'));
    expect(h.sim.stats.dossier(d.code)).toMatchObject({
      TrangThaiHoSo: '9',
      NgayHenTra: '',
      NgayKetThucXuLy: '20261201100000',
    });
    expect(h.sim.stats.progressOf(d.code).map((p) => [p.TrangThai, p.NgayBatDau])).toEqual([
      ['4', ''],
      ['9', ''],
    ]);
  });

  it('delivers results, reuse, payment, databases and a step’s own dates as the portal holds them', async () => {
    h = await createHarness();
    const base = dossierBody();
    // A specialised system reports a dossier it has already resolved, then its return.
    const body = {
      ...base,
      channel: 'online',
      applicant: { ...(base.applicant as object), portalAccountId: 'CD-1188273', vneidVerified: true },
      submittedAt: '2026-11-27T21:40:12+07:00',
      submissionPlace: 'Cổng Dịch vụ công quốc gia',
      status: 'resolved',
      resolvedAt: '2026-12-01T10:00:00+07:00',
      documents: [
        { name: 'Đơn đề nghị', componentCode: 'TP1', id: 'DVC-TEP-1', digitized: true },
        { name: 'Giấy phép cũ', componentCode: 'TP2', digitized: true, reusedResultCode: 'KQ-2024-31' },
      ],
      onlinePayment: 'national_portal',
      nationalDatabases: ['CSDLQGDC'],
      results: [{ name: 'Giấy phép xây dựng số 311/GPXD', resultCode: 'GPXD-311' }],
    };
    const d = await json(await h.gw.request('POST', '/v1/dossiers', { body }));
    await event(d.id, {
      status: 'returned',
      at: '2026-12-02T09:00:00+07:00',
      officer: { name: 'Nguyễn Thu Hà' },
      stepStartedAt: '2026-12-02T08:30:00+07:00',
      stepDueAt: '2026-12-05T17:00:00+07:00',
    });
    await h.drain();
    expect(h.transfers().every((t) => t.state === 'delivered')).toBe(true);
    const held = h.sim.stats.dossier(d.code);
    expect(held).toMatchObject({
      TrangThaiHoSo: '10',
      MaDoiTuong: 'CD-1188273',
      NgayNopHoSo: '20261127214012',
      NgayKetThucXuLy: '20261201100000',
      NgayTra: '20261202090000',
      NoiNopHoSo: 'Cổng Dịch vụ công quốc gia',
      TaiKhoanDuocXacThucVoiVNeID: '1',
      DuocThanhToanTrucTuyen: '1',
      DSKetNoiCSDL: [{ MaCSDL: 'CSDLQGDC' }],
      DanhSachLePhi: [{ Gia: '75000' }],
      DanhSachGiayToKetQua: [{ TenGiayTo: 'Giấy phép xây dựng số 311/GPXD', MaGiayToKetQua: 'GPXD-311' }],
    });
    expect(held?.TaiLieuNop?.map((t) => [t.TepDinhKemId, t.DuocTaiSuDung, t.MaKetQuaThayThe])).toEqual([
      ['DVC-TEP-1', '0', undefined],
      [undefined, '2', 'KQ-2024-31'],
    ]);
    expect(h.sim.stats.progressOf(d.code)).toEqual([
      expect.objectContaining({
        TrangThai: '10',
        NguoiXuLy: 'Nguyễn Thu Hà',
        ChucDanh: '',
        PhongBanXuLy: '',
        NgayBatDau: '20261202083000',
        NgayKetThucTheoQuyDinh: '20261205170000',
      }),
    ]);
  });

  it('a re-push that adds result documents and the other new fields updates the dossier and the portal', async () => {
    h = await createHarness();
    const body = dossierBody();
    const d = await json(await h.gw.request('POST', '/v1/dossiers', { body }));
    await h.drain();
    const added = {
      ...body,
      submittedAt: '2026-11-27T21:40:12+07:00',
      submissionPlace: 'Bộ phận một cửa',
      onlinePayment: 'local_gateway',
      nationalDatabases: ['CSDLQGDC'],
      results: [{ name: 'Giấy phép xây dựng số 312/GPXD', resultCode: 'GPXD-312' }],
    };
    const res = await h.gw.request('POST', '/v1/dossiers', { body: added });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ outcome: 'updated', version: 2, onlinePayment: 'local_gateway' });
    await h.drain();
    expect(h.sim.stats.dossier(d.code)).toMatchObject({
      NgayNopHoSo: '20261127214012',
      NoiNopHoSo: 'Bộ phận một cửa',
      DuocThanhToanTrucTuyen: '2',
      DanhSachGiayToKetQua: [expect.objectContaining({ TenGiayTo: 'Giấy phép xây dựng số 312/GPXD' })],
    });
  });
});
