/** A weekends-only working-day calendar for unit tests that are not about holidays. */
import type { WorkingCalendar } from '../../src/calendar/calendar.js';
import { vnDateKey } from '../../src/lib/time.js';

const DAY_MS = 86_400_000;

function isWorkingDay(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export const weekendCalendar: WorkingCalendar = {
  isWorkingDay,
  addWorkingDays(from, days) {
    let ms = from.getTime();
    for (let left = days; left > 0; ) {
      ms += DAY_MS;
      if (isWorkingDay(vnDateKey(ms))) left--;
    }
    return new Date(ms);
  },
  workingDaysBetween(from, to) {
    const [a, b, sign] = from <= to ? [from, to, 1] : [to, from, -1];
    let count = 0;
    for (let ms = a.getTime() + DAY_MS; vnDateKey(ms) <= vnDateKey(b.getTime()); ms += DAY_MS) {
      if (isWorkingDay(vnDateKey(ms))) count++;
    }
    return sign * count;
  },
};
