/**
 * The due instant of a dossier pushed without `dueAt` (docs/deadlines.md, Due date): its receipt plus
 * the procedure's duration in working days from the catalogue, counted by the working-day calendar.
 * The row builder asks this rule for every write, so the stored `due_at_ms` never lags the document.
 */
import type { WorkingCalendar } from '../calendar/calendar.js';
import type { ProcedureCatalogue } from './procedures.js';

export interface DueRule {
  /** The computed due instant, or null when the catalogue has no duration for the procedure. */
  computedDueMs(procedureCode: string, receivedAtMs: number): number | null;
}

/** The rule over a catalogue and a calendar. */
export function dueRule(catalogue: ProcedureCatalogue, calendar: WorkingCalendar): DueRule {
  return {
    computedDueMs(procedureCode, receivedAtMs) {
      const days = catalogue.workingDays(procedureCode);
      if (days === undefined) return null;
      return calendar.addWorkingDays(new Date(receivedAtMs), days).getTime();
    },
  };
}
