/**
 * The working-day calendar on Node: every `yyyy.json` in CALENDAR_DIR read and checked at start
 * (docs/calendar.md, Data files). A bad file stops the start with a message naming it and the entry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CalendarYear } from '../../../schemas/calendar.js';
import type { WorkingCalendar } from '../../calendar/calendar.js';
import { CalendarDataError, combineYears, parseCalendarYear } from '../../calendar/calendar-data.js';
import { createWorkingCalendar } from '../../calendar/working-calendar.js';

/** Reads and checks the year files of a folder; other files than `*.json` are ignored. */
export function readCalendarDir(dir: string): CalendarYear[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.json'));
  } catch (error) {
    throw new CalendarDataError([`CALENDAR_DIR: cannot read the folder ${dir}: ${(error as Error).message}`]);
  }
  const years: { source: string; data: CalendarYear }[] = [];
  const problems: string[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    try {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new CalendarDataError([`${path}: not readable JSON: ${(error as Error).message}`]);
      }
      years.push({ source: path, data: parseCalendarYear(name, json, path) });
    } catch (error) {
      if (!(error instanceof CalendarDataError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new CalendarDataError(problems);
  return combineYears(years);
}

/** The calendar from CALENDAR_DIR, and the years it has files for. */
export function loadCalendar(dir: string): { calendar: WorkingCalendar; years: CalendarYear[] } {
  const years = readCalendarDir(dir);
  return { calendar: createWorkingCalendar(years), years };
}
