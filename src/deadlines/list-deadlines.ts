/**
 * Use case: open dossiers by deadline state (docs/deadlines.md), near due, overdue or both, optionally
 * of one agency, one page at a time ordered by due instant (most overdue first), with an opaque cursor.
 * The reconciliation findings `overdue` and `near_due` read through this function too.
 */
import type { z } from '@hono/zod-openapi';
import type { DeadlineItemSchema } from '../../schemas/deadlines.js';
import type { WorkingCalendar } from '../calendar/calendar.js';
import { Validation } from '../lib/errors.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { type DeadlineRow, selectOpenByDue } from './deadline.store.js';
import { NEAR_DUE_DEFAULT, nearDueEnd, startOfVnDay, workingDaysLeft } from './deadline-state.js';

export type DeadlineItem = z.output<typeof DeadlineItemSchema>;

export interface DeadlineListQuery {
  /** near_due, overdue, or both when absent. */
  state?: 'near_due' | 'overdue' | undefined;
  agency?: string | undefined;
  withinWorkingDays?: number | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface DeadlinePage {
  items: DeadlineItem[];
  nextCursor: string | null;
  asOf: string;
}

interface Cursor {
  dueAtMs: number;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return btoa(JSON.stringify([c.dueAtMs, c.id])).replace(/=+$/, '');
}

function decodeCursor(text: string): Cursor {
  try {
    const [dueAtMs, id] = JSON.parse(atob(text)) as unknown[];
    if (typeof dueAtMs === 'number' && typeof id === 'string') return { dueAtMs, id };
  } catch {
    // fall through to the validation error
  }
  throw new Validation([
    { path: 'query.cursor', rule: 'cursor_format', message: 'not a cursor this API issued' },
  ]);
}

/** The due range of a state at `nowMs`: [fromMs, beforeMs). */
export function dueRange(
  calendar: WorkingCalendar,
  state: DeadlineListQuery['state'],
  nowMs: number,
  withinWorkingDays: number,
): { fromMs?: number; beforeMs: number } {
  const today = startOfVnDay(nowMs);
  if (state === 'overdue') return { beforeMs: today };
  const beforeMs = nearDueEnd(calendar, nowMs, withinWorkingDays);
  return state === 'near_due' ? { fromMs: today, beforeMs } : { beforeMs };
}

/** One list item of a row, with its state and working days left at `nowMs`. */
export function toDeadlineItem(calendar: WorkingCalendar, r: DeadlineRow, nowMs: number): DeadlineItem {
  return {
    id: r.id,
    code: r.code,
    state: r.due_at_ms < startOfVnDay(nowMs) ? 'overdue' : 'near_due',
    status: r.status,
    procedure: { code: r.procedure_code, name: r.procedure_name },
    agency: { code: r.agency_code, name: r.agency_name },
    applicantName: r.applicant_name,
    receivedAt: toVnIso(r.received_at_ms),
    dueAt: toVnIso(r.due_at_ms),
    workingDaysLeft: workingDaysLeft(calendar, nowMs, r.due_at_ms),
  };
}

/** One page of open dossiers in the state, and the cursor of the next page (null on the last). */
export async function listDeadlines(
  db: Db,
  calendar: WorkingCalendar,
  q: DeadlineListQuery,
  nowMs: number,
): Promise<DeadlinePage> {
  const range = dueRange(calendar, q.state, nowMs, q.withinWorkingDays ?? NEAR_DUE_DEFAULT);
  const rows = await selectOpenByDue(db, {
    agency: q.agency,
    ...range,
    after: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toDeadlineItem(calendar, r, nowMs)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ dueAtMs: last.due_at_ms, id: last.id }) : null,
    asOf: toVnIso(nowMs),
  };
}
