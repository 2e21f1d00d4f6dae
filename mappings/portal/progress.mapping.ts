/**
 * Canonical progress payload → the portal's progress record (CapNhatTienDoHoSoMC).
 *
 * Deterministic like the dossier mapping: the portal ignores a record equal to one it holds (same MaHoSo,
 * ThoiDiemXuLy, TrangThai), so a resend is harmless only if it repeats the record byte for byte.
 *
 * Officer defaults: NguoiXuLy, ChucDanh and PhongBanXuLy are required by the portal, but a status event
 * pushed by a departmental system often names no officer (automatic reception, a status synchronised by
 * software). Inventing a person would put a false name in a public record, so the step is attributed to
 * the system itself: `Hệ thống` ("the system"). A named officer without a title gets the generic
 * `Cán bộ xử lý` ("processing officer").
 */
import { type PortalProgress, PortalProgressSchema, type ProgressPayload } from '../../schemas/portal.js';
import { STATUS_DESCRIPTIONS, STATUS_TO_PORTAL } from './codes.js';
import { formatPortalDate } from './dates.js';
import { issuePath, PortalMappingError } from './errors.js';

/** Who did a step when the event names nobody: the system. */
export const SYSTEM_ACTOR = 'Hệ thống';
/** ChucDanh of a named officer whose title is unknown. */
export const DEFAULT_OFFICER_TITLE = 'Cán bộ xử lý';

const SOURCES: Readonly<Record<keyof PortalProgress, string>> = {
  MaHoSo: 'code',
  NguoiXuLy: 'officer.name',
  ChucDanh: 'officer.title',
  ThoiDiemXuLy: 'at',
  PhongBanXuLy: 'officer.unit',
  NoiDungXuLy: 'note',
  TrangThai: 'status',
  NgayBatDau: 'receivedAt',
  NgayKetThucTheoQuyDinh: 'dueAt',
};

/** Maps a progress payload to the portal's progress record; throws `PortalMappingError`. */
export function toPortalProgress(payload: ProgressPayload): PortalProgress {
  const { code, officer } = payload;
  const date = (field: keyof PortalProgress, iso: string): string => {
    try {
      return formatPortalDate(iso);
    } catch (error) {
      throw new PortalMappingError(code, field, SOURCES[field], (error as Error).message);
    }
  };
  const note = payload.note?.trim();
  const record: PortalProgress = {
    MaHoSo: code,
    NguoiXuLy: officer?.name ?? SYSTEM_ACTOR,
    ChucDanh: officer?.title ?? (officer ? DEFAULT_OFFICER_TITLE : SYSTEM_ACTOR),
    ThoiDiemXuLy: date('ThoiDiemXuLy', payload.at),
    PhongBanXuLy: officer?.unit ?? SYSTEM_ACTOR,
    NoiDungXuLy: note ? note : STATUS_DESCRIPTIONS[payload.status],
    TrangThai: STATUS_TO_PORTAL[payload.status],
    NgayBatDau: date('NgayBatDau', payload.receivedAt),
    ...(payload.dueAt === undefined
      ? {}
      : { NgayKetThucTheoQuyDinh: date('NgayKetThucTheoQuyDinh', payload.dueAt) }),
  };
  const checked = PortalProgressSchema.safeParse(record);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue ? issuePath(issue) : '(object)';
    const source = Object.entries(SOURCES).find(([key]) => key === field.split('.')[0])?.[1];
    throw new PortalMappingError(code, field, source, issue?.message ?? 'invalid');
  }
  return record;
}
