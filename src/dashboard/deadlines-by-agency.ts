/**
 * Use case: near-due and overdue dossiers counted per agency for the dashboard, read through the
 * deadline list (`list-deadlines.ts`, docs/deadlines.md) page by page, up to a bound; the first page's
 * dossiers are kept for the table.
 */
import type { WorkingCalendar } from '../calendar/calendar.js';
import { type DeadlineItem, listDeadlines } from '../deadlines/list-deadlines.js';
import type { Db } from '../store/store.js';

const PAGE = 500;
/** At most this many pages are counted (docs/dashboard.md, Deadlines). */
const MAX_PAGES = 40;

export interface AgencyDeadlines {
  agency: string;
  name: string | null;
  nearDue: number;
  overdue: number;
}

export interface DeadlinesOverview {
  agencies: AgencyDeadlines[];
  /** The most overdue first, up to `shown`. */
  items: DeadlineItem[];
  counted: number;
  /** True when more dossiers exist than were counted. */
  truncated: boolean;
}

export async function deadlinesByAgency(
  db: Db,
  calendar: WorkingCalendar,
  filter: {
    state?: 'near_due' | 'overdue' | undefined;
    agency?: string | undefined;
    withinWorkingDays: number;
  },
  nowMs: number,
  shown = 100,
): Promise<DeadlinesOverview> {
  const byAgency = new Map<string, AgencyDeadlines>();
  const items: DeadlineItem[] = [];
  let cursor: string | undefined;
  let counted = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const r = await listDeadlines(db, calendar, { ...filter, cursor, limit: PAGE }, nowMs);
    for (const i of r.items) {
      const a = byAgency.get(i.agency.code) ?? {
        agency: i.agency.code,
        name: i.agency.name,
        nearDue: 0,
        overdue: 0,
      };
      if (i.state === 'overdue') a.overdue += 1;
      else a.nearDue += 1;
      byAgency.set(i.agency.code, a);
      if (items.length < shown) items.push(i);
    }
    counted += r.items.length;
    cursor = r.nextCursor ?? undefined;
    if (!cursor) break;
  }
  const agencies = [...byAgency.values()].sort((x, y) => y.overdue - x.overdue || y.nearDue - x.nearDue);
  return { agencies, items, counted, truncated: cursor !== undefined };
}
