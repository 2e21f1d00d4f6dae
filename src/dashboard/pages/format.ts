/** How the dashboard writes times, durations and states, in Vietnamese (docs/dashboard.md). */
import { parseInstant, toVnIso } from '../../lib/time.js';

/** `dd/MM/yyyy HH:mm` in Vietnam, from epoch milliseconds or an ISO instant. */
export function vnTime(at: number | string | null | undefined): string {
  if (at === null || at === undefined) return '—';
  const iso = toVnIso(typeof at === 'number' ? at : parseInstant(at));
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
}

/** `dd/MM` in Vietnam. */
export function vnDay(ms: number): string {
  const iso = toVnIso(ms);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}`;
}

/** A duration in days, hours and minutes. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} ngày ${hours} giờ`;
  if (hours > 0) return `${hours} giờ ${mins} phút`;
  return `${mins} phút`;
}

export const CIRCUIT_LABELS: Record<string, string> = {
  closed: 'Đóng (bình thường)',
  open: 'Mở (tạm ngừng gửi)',
  half_open: 'Nửa mở (đang thử lại)',
};

export const TRANSFER_STATE_LABELS: Record<string, string> = {
  held: 'Tạm giữ',
  pending: 'Đang chờ gửi',
  in_flight: 'Đang gửi',
  delivered: 'Đã giao',
  dead: 'Thất bại',
  cancelled: 'Đã hủy',
  blocked: 'Bị chặn',
};

export const DESTINATION_LABELS: Record<string, string> = {
  portal: 'Cổng dịch vụ công quốc gia',
  sms: 'Tin nhắn SMS',
};

export const STATUS_LABELS: Record<string, string> = {
  ok: 'Bình thường',
  degraded: 'Suy giảm',
  alert: 'Cần xử lý',
};

export const TRANSFER_KIND_LABELS: Record<string, string> = {
  dossier_sync: 'Đồng bộ hồ sơ',
  progress: 'Tiến độ xử lý',
  notice: 'Tin nhắn',
};

export const label = (table: Record<string, string>, key: string): string => table[key] ?? key;
