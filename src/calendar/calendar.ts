/**
 * The working-day calendar the deadline rules count with (docs/calendar.md): weekends, public holidays
 * and the government's swapped working days, per year, in Asia/Ho_Chi_Minh. Declared here so the
 * deadline, report and reconciliation use cases depend on the rule, not on how the data is loaded.
 */

/** A calendar day in Vietnam time, `yyyy-MM-dd`. */
export type DayKey = string;

export interface WorkingCalendar {
  /** Whether the day is a working day (not a weekend day unless swapped in, not a holiday). */
  isWorkingDay(day: DayKey): boolean;
  /** The instant `days` working days after `from`, counted in Vietnam time (docs/calendar.md). */
  addWorkingDays(from: Date, days: number): Date;
  /**
   * Working days from `from` until `to` (docs/calendar.md): positive when `to` is later, negative
   * (the working days late) when `to` is earlier.
   */
  workingDaysBetween(from: Date, to: Date): number;
}
