/**
 * A legacy caller's own codes and dates, read through its department profile (docs/soap.md, The
 * caller's profile): when the calling system is a registered department with a profile, its status,
 * channel, applicant-type and procedure codes and its date format are turned into LienThongService's
 * terms before the usual mapping. A value the profile does not know is handed on unchanged, so a
 * canonical name or a portal code still works and the canonical rules name a wrong value.
 */

import type { CapNhatTienDo, TiepNhanHoSo } from '../../schemas/soap/lienthong.js';
import { parseDate } from '../departments/dates.js';
import type { DepartmentProfile } from '../departments/profile.js';

function invert(table: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(table)) if (v !== undefined) out[v] = k;
  return out;
}

function through(table: Record<string, string>, value: string | undefined): string | undefined {
  return value !== undefined && Object.hasOwn(table, value) ? table[value] : value;
}

/** A date in the profile's format as an ISO instant; anything else unchanged. */
function dateOf(p: DepartmentProfile, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDate(p.dateFormat, value);
  } catch {
    return value;
  }
}

/** A `TiepNhanHoSo` body in the caller's own terms, as LienThongService's. */
export function submissionFromCaller(p: DepartmentProfile, b: TiepNhanHoSo): TiepNhanHoSo {
  const out: TiepNhanHoSo = {
    ...b,
    MaThuTuc: through(invert(p.codes.procedures), b.MaThuTuc),
    KenhNop: through(invert(p.codes.channels), b.KenhNop),
    TrangThai: through(invert(p.codes.statuses), b.TrangThai),
    NgayTiepNhan: dateOf(p, b.NgayTiepNhan),
    NgayHenTra: dateOf(p, b.NgayHenTra),
  };
  if (b.ChuHoSo)
    out.ChuHoSo = {
      ...b.ChuHoSo,
      LoaiDoiTuong: through(invert(p.codes.applicantTypes), b.ChuHoSo.LoaiDoiTuong),
    };
  return out;
}

/** A `CapNhatTienDo` body in the caller's own terms, as LienThongService's. */
export function progressFromCaller(p: DepartmentProfile, b: CapNhatTienDo): CapNhatTienDo {
  return {
    ...b,
    TrangThai: through(invert(p.codes.statuses), b.TrangThai),
    ThoiDiem: dateOf(p, b.ThoiDiem),
    NgayHenTraMoi: dateOf(p, b.NgayHenTraMoi),
  };
}
