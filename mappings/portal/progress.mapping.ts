/**
 * Canonical progress payload → the portal's progress record (CapNhatTienDoHoSoMC), as the table in
 * docs/portal.md gives it.
 *
 * Deterministic like the dossier mapping: the portal ignores a record equal to one it holds (same MaHoSo,
 * ThoiDiemXuLy, TrangThai), so a resend is harmless only if it repeats the record byte for byte.
 *
 * Nothing is invented:
 * - NguoiXuLy (required, at most 50 characters) is the officer's name, cut on a word boundary when longer
 *   (the full name stays in the gateway's own history). A step whose event names no officer was reported
 *   by software, and says so: `Hệ thống` ("the system"). No person is made up.
 * - ChucDanh and PhongBanXuLy are the officer's title and unit, or `""` when unknown.
 * - NgayBatDau and NgayKetThucTheoQuyDinh are the step's own start and deadline as the event gave them,
 *   or `""`; never the dossier's receipt and due dates.
 */
import {
  PORTAL_OFFICER_NAME_MAX,
  type PortalProgress,
  PortalProgressSchema,
  type ProgressPayload,
} from '../../schemas/portal.js';
import { STATUS_DESCRIPTIONS, STATUS_TO_PORTAL } from './codes.js';
import { formatPortalDate } from './dates.js';
import { issuePath, PortalMappingError } from './errors.js';

/** NguoiXuLy of a step the event attributes to no officer: the software that reported it. */
export const SYSTEM_ACTOR = 'Hệ thống';

const SOURCES: Readonly<Record<keyof PortalProgress, string>> = {
  MaHoSo: 'code',
  NguoiXuLy: 'officer.name',
  ChucDanh: 'officer.title',
  ThoiDiemXuLy: 'at',
  PhongBanXuLy: 'officer.unit',
  NoiDungXuLy: 'note',
  TrangThai: 'status',
  NgayBatDau: 'stepStartedAt',
  NgayKetThucTheoQuyDinh: 'stepDueAt',
};

/**
 * A name cut to at most `max` UTF-16 units, on a word boundary when there is one (a single word longer
 * than `max` is cut inside it); never splits a character.
 */
export function cutOnWord(name: string, max: number = PORTAL_OFFICER_NAME_MAX): string {
  const trimmed = name.trim();
  if (trimmed.length <= max) return trimmed;
  let head = '';
  for (const ch of trimmed) {
    if (head.length + ch.length > max) break;
    head += ch;
  }
  const rest = trimmed.slice(head.length);
  if (/^\s/.test(rest)) return head.trimEnd();
  const space = head.search(/\s\S*$/);
  return space > 0 ? head.slice(0, space).trimEnd() : head;
}

/** Maps a progress payload to the portal's progress record; throws `PortalMappingError`. */
export function toPortalProgress(payload: ProgressPayload): PortalProgress {
  const { code, officer } = payload;
  const date = (field: keyof PortalProgress, iso: string | undefined): string => {
    if (iso === undefined) return '';
    try {
      return formatPortalDate(iso);
    } catch (error) {
      throw new PortalMappingError(code, field, SOURCES[field], (error as Error).message);
    }
  };
  const note = payload.note?.trim();
  const record: PortalProgress = {
    MaHoSo: code,
    NguoiXuLy: officer ? cutOnWord(officer.name) : SYSTEM_ACTOR,
    ChucDanh: officer?.title ?? '',
    ThoiDiemXuLy: date('ThoiDiemXuLy', payload.at),
    PhongBanXuLy: officer?.unit ?? '',
    NoiDungXuLy: note ? note : STATUS_DESCRIPTIONS[payload.status],
    TrangThai: STATUS_TO_PORTAL[payload.status],
    NgayBatDau: date('NgayBatDau', payload.stepStartedAt),
    NgayKetThucTheoQuyDinh: date('NgayKetThucTheoQuyDinh', payload.stepDueAt),
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
