/** A polled system's change feed read through its profile (docs/departments.md, Pull). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLandRegistryFeed } from '../../../adapters/departments/land-registry.feed.js';
import { changeFromSystem, feedPage, positionOf } from '../../../mappings/departments/changes.js';
import { landRegistryProfile as p } from '../../../mappings/departments/land-registry.js';
import { DepartmentProfileSchema } from '../../../mappings/departments/profile.js';
import { STATUSES } from '../../../schemas/dossier.js';

const page = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '../../fixtures/departments/land-registry/changes-page.json'),
    'utf8',
  ),
);
const poll =
  p.poll ??
  (() => {
    throw new Error('no poll section');
  })();

describe('land-registry change feed', () => {
  it('reads a page: a dossier and a step, each with its record id and position', () => {
    const { items, nextCursor } = feedPage(poll, page);
    expect(nextCursor).toBe('1042');
    const [dossier, step] = items.map((i) => changeFromSystem(p, i));
    expect(dossier).toMatchObject({
      kind: 'dossier',
      position: '1041',
      recordId: 'VBD-2026-000871',
      dossier: {
        code: '000.00.16.H24-261203-0012',
        procedure: { code: '1.001045' },
        applicant: { type: 'citizen', fullName: 'Nguyễn Thị Thu Hà' },
        receivedAt: '2026-12-03T09:15:00+07:00',
        status: 'received',
      },
    });
    expect(step).toEqual({
      kind: 'event',
      position: '1042',
      recordId: 'VBD-2026-000871',
      event: { status: 'processing', at: '2026-12-04T08:00:00+07:00', note: 'Chuyển thẩm định hồ sơ' },
    });
  });

  it('refuses what is no page, and changes without a kind, a record id or a mappable value', () => {
    expect(() => feedPage(poll, { conTro: '1' })).toThrow(/danhSach/);
    expect(() => feedPage(poll, 'x')).toThrow();
    const [d] = page.danhSach;
    expect(() => changeFromSystem(p, { ...d, loai: 'KHAC' })).toThrow(/kind/);
    expect(() => changeFromSystem(p, { ...d, maHoSoVbd: 'HS-1' })).toThrow(/record id/);
    expect(() => changeFromSystem(p, { ...d, ngayNhan: '31/02/2026 09:00:00' })).toThrow();
    // Even a change that does not map tells where it is, so the poller can move past it.
    expect(positionOf(poll, { ...d, maTrangThai: 'KHONG_RO' })).toBe('1041');
  });

  it('the simulator feed maps back to what was keyed in, for any status and time', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), fc.integer({ min: 0, max: 86_399 }), (status, sec) => {
        const feed = createLandRegistryFeed();
        const hh = String(Math.floor(sec / 3600)).padStart(2, '0');
        const mm = String(Math.floor((sec % 3600) / 60)).padStart(2, '0');
        const ss = String(sec % 60).padStart(2, '0');
        const dossier = {
          code: '000.00.16.H24-261203-0099',
          agency: { code: '000.00.16.H24', name: 'VPĐK' },
          procedure: { code: '1.003010', name: 'Đăng ký biến động' },
          applicant: { type: 'citizen' as const, fullName: 'Lý Văn Tâm' },
          channel: 'counter' as const,
          receivedAt: `2026-12-03T${hh}:${mm}:${ss}+07:00`,
          status,
        };
        const id = feed.keyIn(dossier);
        const answer = feed.answer('/api/v1/thay-doi?sau=0&soLuong=10');
        const read = feedPage(poll, answer?.body);
        expect(changeFromSystem(p, read.items[0] ?? {})).toEqual({
          kind: 'dossier',
          position: '1',
          recordId: id,
          dossier,
        });
      }),
      { numRuns: 50 },
    );
  });

  it('a poll section is checked like the rest of the profile', () => {
    const bad = { ...p, poll: { ...poll, path: 'thay-doi', pageSize: 0 } };
    const r = DepartmentProfileSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['poll.path', 'poll.pageSize']),
    );
  });
});
