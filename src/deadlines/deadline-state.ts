/**
 * A dossier's deadline state (docs/deadlines.md, States), counted by calendar day in Vietnam time as
 * the domain defines it: an open dossier is overdue once its due day has passed, near due when the due
 * day is at most `withinWorkingDays` working days after today; a resolved one is early, on time or late
 * by the day it was resolved against its due day.
 */
import type { WorkingCalendar } from '../calendar/calendar.js';
import { vnDateKey } from '../lib/time.js';

export const OPEN_STATES = ['on_time', 'near_due', 'overdue'] as const;
export const DEADLINE_STATES = [
  ...OPEN_STATES,
  'resolved_early',
  'resolved_on_time',
  'resolved_late',
  'no_due',
  'closed',
] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** The default near-due threshold in working days. */
export const NEAR_DUE_DEFAULT = 2;
/** No count runs past this many days (a due date ten years away is simply "on time"). */
const MAX_DAYS = 3660;
const DAY_MS = 86_400_000;

/** Midnight in Vietnam at the start of the day holding `ms`. */
export function startOfVnDay(ms: number): number {
  return Date.parse(`${vnDateKey(ms)}T00:00:00+07:00`);
}

/**
 * Working days between today and the due day (docs/calendar.md, Counting rules): the working days after
 * today up to and including the due day (0 when due today); negative when the due day has passed: minus
 * the working days after the due day up to and including today (the working days late).
 */
export function workingDaysLeft(calendar: WorkingCalendar, nowMs: number, dueMs: number): number {
  return calendar.workingDaysBetween(new Date(nowMs), new Date(dueMs));
}

/**
 * The end (exclusive) of the near-due window: midnight after the `n`-th working day after today (after
 * today itself when n is 0). A due instant before it and not before today is near due.
 */
export function nearDueEnd(calendar: WorkingCalendar, nowMs: number, n: number): number {
  let day = startOfVnDay(nowMs);
  for (let found = 0, i = 0; found < n && i < MAX_DAYS; i++) {
    day += DAY_MS;
    if (calendar.isWorkingDay(vnDateKey(day))) found++;
  }
  return day + DAY_MS;
}

export interface DeadlineFacts {
  status: string;
  dueAtMs: number | null;
  closedAtMs: number | null;
}

/** The state of one dossier at `nowMs` with the near-due threshold `withinWorkingDays`. */
export function deadlineState(
  calendar: WorkingCalendar,
  d: DeadlineFacts,
  nowMs: number,
  withinWorkingDays: number = NEAR_DUE_DEFAULT,
): DeadlineState {
  if (d.closedAtMs !== null) {
    if (d.status !== 'resolved' && d.status !== 'returned') return 'closed';
    if (d.dueAtMs === null) return 'no_due';
    return resolvedState(d.closedAtMs, d.dueAtMs);
  }
  if (d.dueAtMs === null) return 'no_due';
  const today = startOfVnDay(nowMs);
  if (d.dueAtMs < today) return 'overdue';
  return d.dueAtMs < nearDueEnd(calendar, nowMs, withinWorkingDays) ? 'near_due' : 'on_time';
}

/** Early before the due day, on time on it, late after it (docs/deadlines.md, States). */
export function resolvedState(resolvedMs: number, dueMs: number): DeadlineState {
  const resolvedDay = vnDateKey(resolvedMs);
  const dueDay = vnDateKey(dueMs);
  if (resolvedDay < dueDay) return 'resolved_early';
  return resolvedDay === dueDay ? 'resolved_on_time' : 'resolved_late';
}
