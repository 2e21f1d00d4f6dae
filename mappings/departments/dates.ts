/**
 * Canonical instants (`yyyy-MM-ddTHH:mm:ss+07:00`) ↔ a profile's date format, always in Vietnam time
 * (docs/departments.md, Profiles). Seconds are the finest unit every format keeps.
 */
import type { DateFormat } from './profile.js';

const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\+07:00$/;
const DMY = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** A canonical instant in the profile's format. */
export function formatDate(format: DateFormat, iso: string): string {
  const m = CANONICAL.exec(iso);
  if (!m) throw new Error(`not a canonical instant: ${iso}`);
  const [, y, mo, d, h, mi, s] = m;
  if (format === 'dd/MM/yyyy HH:mm:ss') return `${d}/${mo}/${y} ${h}:${mi}:${s}`;
  if (format === 'yyyyMMddHHmmss') return `${y}${mo}${d}${h}${mi}${s}`;
  return iso;
}

/** A date in the profile's format as a canonical instant; throws on anything else or an impossible date. */
export function parseDate(format: DateFormat, value: string): string {
  let parts: string[] | undefined;
  if (format === 'dd/MM/yyyy HH:mm:ss') {
    const m = DMY.exec(value);
    if (m) parts = [m[3], m[2], m[1], m[4], m[5], m[6]] as string[];
  } else {
    const m = (format === 'yyyyMMddHHmmss' ? COMPACT : CANONICAL).exec(value);
    if (m) parts = m.slice(1, 7);
  }
  if (!parts) throw new Error(`not a ${format} date: ${value}`);
  const [y, mo, d, h, mi, s] = parts as [string, string, string, string, string, string];
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}+07:00`;
  const check = new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 19);
  if (check !== `${y}-${mo}-${d}T${h}:${mi}:${s}`) throw new Error(`no such date: ${value}`);
  return iso;
}
