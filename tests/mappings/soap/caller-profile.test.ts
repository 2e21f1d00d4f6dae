import { describe, expect, it } from 'vitest';
import { civilStatusProfile } from '../../../mappings/departments/civil-status.js';
import { landRegistryProfile } from '../../../mappings/departments/land-registry.js';
import { STATUS_FROM_PORTAL } from '../../../mappings/portal/codes.js';
import { progressFromCaller, submissionFromCaller } from '../../../mappings/soap/caller-profile.js';
import { toDossierInput, toEventInput } from '../../../mappings/soap/lienthong.js';

describe("a SOAP caller's own codes through its department profile", () => {
  it("reads the civil-status software's status '6' as resolved, where the portal's '6' means something else", () => {
    expect(STATUS_FROM_PORTAL['6' as keyof typeof STATUS_FROM_PORTAL]).toBe('payment_requested');
    expect(toEventInput({ MaHoSoNguon: 'HTX-2026-004567', TrangThai: '6' })).toMatchObject({
      status: 'payment_requested',
    });
    const body = progressFromCaller(civilStatusProfile, {
      MaHoSoNguon: 'HTX-2026-004567',
      TrangThai: '6',
      ThoiDiem: '20261201140530',
    });
    expect(toEventInput(body)).toMatchObject({ status: 'resolved', at: '2026-12-01T14:05:30+07:00' });
  });

  it("reads the land registry's dates and codes in its own format", () => {
    const [national, own] = Object.entries(landRegistryProfile.codes.procedures)[0] as [string, string];
    const body = submissionFromCaller(landRegistryProfile, {
      MaHoSoNguon: 'VBD-2026-000123',
      MaThuTuc: own,
      TrangThai: landRegistryProfile.codes.statuses.processing,
      KenhNop: landRegistryProfile.codes.channels.online,
      NgayTiepNhan: '28/11/2026 08:30:00',
      ChuHoSo: { LoaiDoiTuong: landRegistryProfile.codes.applicantTypes.business, HoTen: 'Công ty A' },
    } as Parameters<typeof submissionFromCaller>[1]);
    expect(toDossierInput(body)).toMatchObject({
      procedure: { code: national },
      status: 'processing',
      channel: 'online',
      receivedAt: '2026-11-28T08:30:00+07:00',
      applicant: { type: 'business' },
    });
  });

  it('hands on a value the profile does not know, for the canonical rules to judge', () => {
    const body = progressFromCaller(civilStatusProfile, {
      MaHoSoNguon: 'HTX-2026-004567',
      TrangThai: 'processing',
      ThoiDiem: '31/02/2026 08:00:00',
    });
    expect(toEventInput(body)).toMatchObject({ status: 'processing', at: '31/02/2026 08:00:00' });
  });
});
