/**
 * The deadline findings of a run (docs/reconciliation.md): every open dossier that is overdue or near due
 * (the deadlines' own list, `listDeadlines`, with its working-day calendar and the default threshold)
 * gets an `overdue` or `near_due` finding; one that left the state (resolved, its due date moved, or
 * near due became overdue) has its finding closed. The finding holds the code's dossier id, the agency
 * and the due day, never the applicant's name the list carries.
 */
import type { WorkingCalendar } from '../calendar/calendar.js';
import { type DeadlineItem, listDeadlines } from '../deadlines/list-deadlines.js';
import { type RunFinding, selectOpenOfKind } from './finding.store.js';
import type { RunContext, Tally } from './reconciliation.context.js';
import { closeFindings, openFindings } from './record-findings.js';

const PAGE = 500;
/** At most this many dossiers per state and run (the rest waits for the next run). */
const MAX_PAGES = 400;
const KINDS = ['overdue', 'near_due'] as const;

async function current(
  ctx: RunContext,
  calendar: WorkingCalendar,
  state: (typeof KINDS)[number],
  now: number,
): Promise<{ items: DeadlineItem[]; complete: boolean }> {
  const items: DeadlineItem[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await listDeadlines(ctx.store.db, calendar, { state, cursor, limit: PAGE }, now);
    items.push(...page.items);
    if (page.nextCursor === null) return { items, complete: true };
    cursor = page.nextCursor;
  }
  return { items, complete: false };
}

const toFinding = (kind: string, d: DeadlineItem): RunFinding => ({
  kind,
  subject: `dossier:${d.id}`,
  dossierId: d.id,
  agency: d.agency.code,
  detail: `${d.code}: due ${d.dueAt.slice(0, 10)}`,
});

export async function checkDeadlines(
  ctx: RunContext,
  calendar: WorkingCalendar,
  runId: string,
  tally: Tally,
): Promise<void> {
  const now = ctx.clock.now();
  for (const kind of KINDS) {
    const { items, complete } = await current(ctx, calendar, kind, now);
    for (let i = 0; i < items.length; i += PAGE) {
      const slice = items.slice(i, i + PAGE).map((d) => toFinding(kind, d));
      await ctx.store.transaction((trx) => openFindings({ trx, now, runId, tally }, slice));
    }
    if (!complete) continue; // an unfinished list cannot say what cleared
    const still = new Set(items.map((d) => d.id));
    let after = 0;
    for (let i = 0; i < MAX_PAGES; i++) {
      const open = await selectOpenOfKind(ctx.store.db, kind, after, PAGE);
      if (open.length === 0) break;
      after = open[open.length - 1]?.id ?? after;
      const cleared = open.filter((f) => f.dossierId === null || !still.has(f.dossierId));
      if (cleared.length > 0)
        await ctx.store.transaction((trx) => closeFindings({ trx, now, runId, tally }, cleared));
    }
  }
}
