/**
 * The working-day calendar over the year files (docs/calendar.md, Counting rules). Days are counted
 * in Vietnam time (UTC+7, no DST). A day is a working day when it is Monday–Friday and not a holiday
 * or swapped day off, or a weekend day listed as a swapped working day. Years without a file count
 * weekends only.
 */
import type { CalendarYear } from '../../schemas/calendar.js';
import { isRealDay } from '../../schemas/calendar.js';
import type { DayKey, WorkingCalendar } from './calendar.js';

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
/** More working days than any procedure lasts; a larger count is a programming error. */
export const MAX_WORKING_DAYS = 10_000;

/** Days since 1970-01-01 of the Vietnam calendar day holding the instant. */
export function vnDayNumber(ms: number): number {
  return Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
}

/** The `yyyy-MM-dd` of a day number. */
export function dayKeyOf(dayNumber: number): DayKey {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The day number of a `yyyy-MM-dd`; throws RangeError for a malformed or unreal date. */
export function dayNumberOf(day: DayKey): number {
  if (!isRealDay(day)) throw new RangeError(`not a calendar day yyyy-MM-dd: ${day}`);
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

/** Day 0 (1970-01-01) was a Thursday: 0 = Sunday … 6 = Saturday. */
function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function isWeekend(dayNumber: number): boolean {
  const w = weekday(dayNumber);
  return w === 0 || w === 6;
}

/** Weekdays (Mon–Fri) among the day numbers `[0, d)`; negative `d` gives a negative count. */
const WEEKDAYS_IN_PARTIAL_WEEK = [0, 1, 2, 2, 2, 3, 4]; // weeks start on day 0, a Thursday
function weekdaysBefore(d: number): number {
  const weeks = Math.floor(d / 7);
  return weeks * 5 + (WEEKDAYS_IN_PARTIAL_WEEK[d - weeks * 7] ?? 0);
}

/** Builds the calendar from checked year files (src/calendar/calendar-data.ts). */
export function createWorkingCalendar(years: readonly CalendarYear[]): WorkingCalendar {
  // Exceptions to "Monday–Friday": weekdays off (-1) and weekend days worked (+1), sorted by day.
  const delta = new Map<number, number>();
  for (const y of years) {
    for (const h of [...y.holidays, ...y.swappedDaysOff]) {
      const d = dayNumberOf(h.date);
      if (!isWeekend(d)) delta.set(d, -1);
    }
    for (const w of y.swappedWorkingDays) delta.set(dayNumberOf(w.date), 1);
  }
  const days = [...delta.keys()].sort((a, b) => a - b);
  const prefix: number[] = [];
  let sum = 0;
  for (const d of days) {
    sum += delta.get(d) ?? 0;
    prefix.push(sum);
  }
  /** Sum of the exceptions on days `< d` (binary search). */
  const exceptionsBefore = (d: number): number => {
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((days[mid] ?? 0) < d) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : (prefix[lo - 1] ?? 0);
  };
  /** Working days among the day numbers `[0, d)` (negative before day 0). */
  const workingBefore = (d: number): number => weekdaysBefore(d) + exceptionsBefore(d);
  const working = (d: number): boolean => {
    const exception = delta.get(d);
    if (exception !== undefined) return exception > 0;
    return !isWeekend(d);
  };
  const nextWorking = (d: number): number => {
    let next = d + 1;
    while (!working(next)) next += 1; // bounded: a year file can close at most its own year
    return next;
  };

  return {
    isWorkingDay: (day) => working(dayNumberOf(day)),
    addWorkingDays(from, count) {
      if (!Number.isInteger(count) || count < 0 || count > MAX_WORKING_DAYS) {
        throw new RangeError(`working days must be a whole number from 0 to ${MAX_WORKING_DAYS}: ${count}`);
      }
      const ms = from.getTime();
      if (Number.isNaN(ms)) throw new RangeError('addWorkingDays: invalid date');
      const start = vnDayNumber(ms);
      const timeOfDay = ms + VN_OFFSET_MS - start * DAY_MS;
      // A receipt on a day off counts as received on the next working day, at the same time of day.
      let day = working(start) ? start : nextWorking(start);
      for (let i = 0; i < count; i++) day = nextWorking(day);
      return new Date(day * DAY_MS + timeOfDay - VN_OFFSET_MS);
    },
    workingDaysBetween(from, to) {
      const a = vnDayNumber(from.getTime());
      const b = vnDayNumber(to.getTime());
      if (Number.isNaN(a) || Number.isNaN(b)) throw new RangeError('workingDaysBetween: invalid date');
      // Working days in (a, b] when b is later; minus those in (b, a] when b is earlier.
      return workingBefore(b + 1) - workingBefore(a + 1);
    },
  };
}
