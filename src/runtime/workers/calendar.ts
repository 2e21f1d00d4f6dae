/**
 * The working-day calendar on Workers (no file system): the year files of config/calendar bundled
 * into the Worker and checked when the isolate starts (docs/calendar.md, Data files). A year file
 * added to config/calendar must also be listed here to reach the Worker.
 */

import year2025 from '../../../config/calendar/2025.json' with { type: 'json' };
import year2026 from '../../../config/calendar/2026.json' with { type: 'json' };
import type { CalendarYear } from '../../../schemas/calendar.js';
import type { WorkingCalendar } from '../../calendar/calendar.js';
import { combineYears, parseCalendarYear } from '../../calendar/calendar-data.js';
import { createWorkingCalendar } from '../../calendar/working-calendar.js';

/** The bundled year files, by file name. */
export const BUNDLED_CALENDAR_FILES: Record<string, unknown> = {
  '2025.json': year2025,
  '2026.json': year2026,
};

/** The calendar from the bundled year files, and the years it has files for. */
export function bundledCalendar(): { calendar: WorkingCalendar; years: CalendarYear[] } {
  const parsed = Object.entries(BUNDLED_CALENDAR_FILES).map(([name, json]) => ({
    source: `config/calendar/${name}`,
    data: parseCalendarYear(name, json, `config/calendar/${name} (bundled)`),
  }));
  const years = combineYears(parsed);
  return { calendar: createWorkingCalendar(years), years };
}
