/**
 * The working-day calendar's year files (docs/calendar.md, Data files): one `yyyy.json` per year in
 * CALENDAR_DIR, listing the public holidays, the weekdays given off in a swap and the weekend days
 * worked in exchange, with the decisions or notices they come from.
 */
import { z } from 'zod';

/** A calendar day `yyyy-MM-dd` that exists (no 2025-02-30). */
export const dayKey = z.string().superRefine((value, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    ctx.addIssue({ code: 'custom', message: 'must be a date yyyy-MM-dd' });
  else if (!isRealDay(value)) ctx.addIssue({ code: 'custom', message: 'must be a real calendar date' });
});

/** Whether `yyyy-MM-dd` names a day that exists in the Gregorian calendar. */
export function isRealDay(key: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const name = z.string().trim().min(1).max(200);
const note = z.string().trim().min(1).max(1000).optional();

/** A public holiday or a compensatory day off (nghỉ bù) when a holiday falls on a weekend. */
export const CalendarHolidaySchema = z.strictObject({ date: dayKey, name, note });

/** A weekday given off in a swap (hoán đổi ngày làm việc); the day worked instead is `workedOn`. */
export const CalendarSwappedDayOffSchema = z.strictObject({
  date: dayKey,
  name,
  workedOn: dayKey.optional(),
  note,
});

/** A weekend day worked in a swap (làm bù); the weekday it pays for is `replaces`. */
export const CalendarSwappedWorkingDaySchema = z.strictObject({
  date: dayKey,
  name,
  replaces: dayKey.optional(),
  note,
});

export const CalendarYearSchema = z.strictObject({
  year: z.number().int().min(1990).max(2100),
  /** The decisions and notices the entries come from (and, when none was found, what was relied on). */
  sources: z.array(z.string().trim().min(1).max(1000)).min(1),
  holidays: z.array(CalendarHolidaySchema),
  swappedDaysOff: z.array(CalendarSwappedDayOffSchema).default([]),
  swappedWorkingDays: z.array(CalendarSwappedWorkingDaySchema).default([]),
});

export type CalendarYear = z.output<typeof CalendarYearSchema>;
