/**
 * Instants ↔ the portal's `yyyyMMddHHmmss` wall-clock strings in Asia/Ho_Chi_Minh, which is UTC+7 all year
 * (no DST), so a fixed offset is exact. The portal has no sub-second precision: formatting drops the
 * fraction (floor, so an instant never moves into the next second and ordering is kept).
 */
import { isPortalDate } from '../../schemas/portal.js';

const VN_OFFSET_MS = 7 * 3_600_000;
const ISO_INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch milliseconds of an ISO 8601 instant that carries an offset (or `Z`); throws otherwise. */
function parseIso(iso: string): number {
  const m = ISO_INSTANT_RE.exec(iso);
  if (!m) throw new RangeError(`not an ISO 8601 instant with an offset: "${iso}"`);
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone = 'Z'] = m;
  const wall = `${y}${mo}${d}${h}${mi}${s}`;
  if (!isPortalDate(wall)) throw new RangeError(`not a real date and time: "${iso}"`);
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), Number(fraction.padEnd(3, '0').slice(0, 3)));
  let offsetMs = 0;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2, 4));
    if (hours > 23 || minutes > 59) throw new RangeError(`not a valid offset in "${iso}"`);
    offsetMs = sign * (hours * 60 + minutes) * 60_000;
  }
  return date.getTime() - offsetMs;
}

/** Formats an ISO 8601 instant with offset as the portal's `yyyyMMddHHmmss` in Vietnam time. */
export function formatPortalDate(iso: string): string {
  const ms = parseIso(iso);
  const local = new Date(Math.floor(ms / 1000) * 1000 + VN_OFFSET_MS);
  const year = local.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`year ${year} does not fit yyyyMMddHHmmss: "${iso}"`);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    String(year).padStart(4, '0') +
    two(local.getUTCMonth() + 1) +
    two(local.getUTCDate()) +
    two(local.getUTCHours()) +
    two(local.getUTCMinutes()) +
    two(local.getUTCSeconds())
  );
}

/** Parses the portal's `yyyyMMddHHmmss` (Vietnam time) into the canonical ISO form `…+07:00`. */
export function parsePortalDate(s: string): string {
  if (!isPortalDate(s)) throw new RangeError(`not a portal date yyyyMMddHHmmss: "${s}"`);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}+07:00`;
}

/** The instant truncated to whole seconds, in the canonical `…+07:00` form: what survives the portal. */
export function toPortalPrecision(iso: string): string {
  return parsePortalDate(formatPortalDate(iso));
}
