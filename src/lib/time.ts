/**
 * Time in Vietnam: Asia/Ho_Chi_Minh is UTC+7 all year (no DST), so a fixed offset is exact.
 * The canonical model writes every instant as ISO 8601 with the +07:00 offset.
 */
const OFFSET_MS = 7 * 3600_000;

/** Formats epoch milliseconds as `YYYY-MM-DDTHH:mm:ss[.sss]+07:00`. */
export function toVnIso(ms: number): string {
  const local = new Date(ms + OFFSET_MS).toISOString(); // shifted, so the UTC fields read as local time
  const base = local.slice(0, 19);
  const millis = local.slice(19, 23);
  return `${base}${millis === '.000' ? '' : millis}+07:00`;
}

/** Parses an ISO 8601 instant with offset into epoch milliseconds. */
export function parseInstant(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${iso}`);
  return ms;
}

/** Normalises an ISO 8601 instant to the canonical +07:00 form. */
export function normaliseInstant(iso: string): string {
  return toVnIso(parseInstant(iso));
}

/** The receipt day `yyMMdd` in Vietnam for an instant (used by dossier codes). */
export function vnDayCode(ms: number): string {
  const local = new Date(ms + OFFSET_MS).toISOString();
  return `${local.slice(2, 4)}${local.slice(5, 7)}${local.slice(8, 10)}`;
}

/** The calendar day in Vietnam for an instant, `YYYY-MM-DD`. */
export function vnDateKey(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** A clock port, so tests can move time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
