/**
 * The quiet-hours window (SMS_QUIET_HOURS, default 21:00-07:00, Vietnam time, UTC+7 all year): a notice
 * due inside it waits until the window ends. The next attempt time of its transfer is moved to the
 * window's end, so nothing polls through the night.
 */

/** Minutes after midnight, Vietnam time, where the window starts and ends; start = end means none. */
export interface QuietHours {
  startMin: number;
  endMin: number;
}

const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** Parses `HH:MM-HH:MM` (or `off`); undefined when the text is not one. */
export function parseQuietHours(text: string): QuietHours | undefined {
  if (text.trim() === 'off') return { startMin: 0, endMin: 0 };
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!m) return undefined;
  return { startMin: Number(m[1]) * 60 + Number(m[2]), endMin: Number(m[3]) * 60 + Number(m[4]) };
}

/** When the window holding `ms` ends, or undefined when `ms` is outside it. */
export function quietUntil(q: QuietHours, ms: number): number | undefined {
  if (q.startMin === q.endMin) return undefined;
  const local = ms + VN_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = (local - dayStart) / 60_000;
  const start = q.startMin;
  const end = q.endMin;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return undefined;
  // The window ends today at `end` when we are before it, else tomorrow (an overnight window's evening).
  const endToday = dayStart + end * 60_000;
  const endLocal = minute < end ? endToday : endToday + DAY_MS;
  return endLocal - VN_OFFSET_MS;
}

/** The first instant at or after `ms` outside the window. */
export function outsideQuietHours(q: QuietHours, ms: number): number {
  return quietUntil(q, ms) ?? ms;
}
