/**
 * Reads and checks the calendar's year files (docs/calendar.md, Data files). Every rule a file breaks
 * is refused at start with a message naming the file and the entry, so a typo never silently moves
 * a due date.
 */
import { type CalendarYear, CalendarYearSchema } from '../../schemas/calendar.js';

/** A year file that cannot be used; the message names the file and the entries at fault. */
export class CalendarDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid working-day calendar:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CalendarDataError';
  }
}

type ListName = 'holidays' | 'swappedDaysOff' | 'swappedWorkingDays';
const LISTS: ListName[] = ['holidays', 'swappedDaysOff', 'swappedWorkingDays'];

/** 0 = Sunday … 6 = Saturday, for a valid `yyyy-MM-dd`. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** `holidays[2] (2025-04-30 "Ngày Chiến thắng")`: how a message names an entry of the raw file. */
function entryLabel(json: unknown, path: readonly PropertyKey[]): string {
  const [list, index] = path;
  if (typeof list !== 'string' || typeof index !== 'number') return path.map(String).join('.') || '(file)';
  const raw = (json as Record<string, unknown[]>)[list]?.[index] as Record<string, unknown> | undefined;
  const date = typeof raw?.date === 'string' ? raw.date : '?';
  const name = typeof raw?.name === 'string' ? ` "${raw.name}"` : '';
  const field = path.length > 2 ? `.${path.slice(2).map(String).join('.')}` : '';
  return `${list}[${index}] (${date}${name})${field}`;
}

/**
 * Parses one year file. `baseName` is the file's name (`2025.json`); it must agree with the year and
 * every date in it. `fileName` (by default the name) is how messages name the file, e.g. its path.
 * Throws CalendarDataError listing every problem found.
 */
export function parseCalendarYear(baseName: string, json: unknown, fileName = baseName): CalendarYear {
  const named = /^(\d{4})\.json$/.exec(baseName);
  if (!named)
    throw new CalendarDataError([`${fileName}: a year file must be named yyyy.json (e.g. 2026.json)`]);
  const parsed = CalendarYearSchema.safeParse(json);
  if (!parsed.success) {
    throw new CalendarDataError(
      parsed.error.issues.map((issue) => `${fileName}: ${entryLabel(json, issue.path)}: ${issue.message}`),
    );
  }
  const data = parsed.data;
  const problems = checkYear(fileName, Number(named[1]), data);
  if (problems.length > 0) throw new CalendarDataError(problems);
  return data;
}

/** The rules zod cannot say alone: one year, each day once, swaps on the right kind of day, pairs kept. */
function checkYear(fileName: string, fileYear: number, data: CalendarYear): string[] {
  const problems: string[] = [];
  if (data.year !== fileYear) {
    problems.push(`${fileName}: year is ${data.year} but the file is named for ${fileYear}`);
  }
  const seen = new Map<string, string>();
  for (const list of LISTS) {
    data[list].forEach((entry, index) => {
      const label = `${list}[${index}] (${entry.date} "${entry.name}")`;
      if (!entry.date.startsWith(`${fileYear}-`)) {
        problems.push(`${fileName}: ${label}: the date is not in ${fileYear}; put it in that year's file`);
      }
      const earlier = seen.get(entry.date);
      if (earlier) {
        const clash = earlier.startsWith('swappedWorkingDays') !== (list === 'swappedWorkingDays');
        problems.push(
          clash
            ? `${fileName}: ${label}: ${entry.date} is both a day off and a swapped working day (${earlier})`
            : `${fileName}: ${label}: ${entry.date} is listed twice (also ${earlier})`,
        );
      } else {
        seen.set(entry.date, label);
      }
      problems.push(...checkSwap(fileName, fileYear, data, list, label, entry));
    });
  }
  return problems;
}

function checkSwap(
  fileName: string,
  fileYear: number,
  data: CalendarYear,
  list: ListName,
  label: string,
  entry: { date: string; workedOn?: string | undefined; replaces?: string | undefined },
): string[] {
  const problems: string[] = [];
  const weekend = [0, 6].includes(weekdayOf(entry.date));
  const inYear = (day: string) => day.startsWith(`${fileYear}-`);
  if (list === 'swappedWorkingDays') {
    if (!weekend) problems.push(`${fileName}: ${label}: a swapped working day must be a Saturday or Sunday`);
    const off = entry.replaces;
    if (off && inYear(off) && !data.swappedDaysOff.some((d) => d.date === off)) {
      problems.push(`${fileName}: ${label}: replaces ${off}, which is not listed in swappedDaysOff`);
    }
  }
  if (list === 'swappedDaysOff') {
    if (weekend) problems.push(`${fileName}: ${label}: a swapped day off must be a weekday (Monday–Friday)`);
    const worked = entry.workedOn;
    if (worked && inYear(worked) && !data.swappedWorkingDays.some((d) => d.date === worked)) {
      problems.push(`${fileName}: ${label}: workedOn ${worked}, which is not listed in swappedWorkingDays`);
    }
  }
  return problems;
}

/** Checks that no year is given twice (two sources for one year) and sorts the years. */
export function combineYears(years: { source: string; data: CalendarYear }[]): CalendarYear[] {
  const byYear = new Map<number, string>();
  const problems: string[] = [];
  for (const { source, data } of years) {
    const other = byYear.get(data.year);
    if (other) problems.push(`${source}: year ${data.year} is already given by ${other}`);
    else byYear.set(data.year, source);
  }
  if (problems.length > 0) throw new CalendarDataError(problems);
  return years.map((y) => y.data).sort((a, b) => a.year - b.year);
}

/**
 * The warning to log at start when the year of `nowMs` (Vietnam time) has no file: that year then
 * counts weekends only (docs/calendar.md, Counting rules).
 */
export function missingYearWarning(years: readonly CalendarYear[], nowMs: number): string | undefined {
  const year = new Date(nowMs + 7 * 3_600_000).getUTCFullYear();
  if (years.some((y) => y.year === year)) return undefined;
  return `working-day calendar: no year file for ${year}; only weekends are days off in ${year} until one is added`;
}
