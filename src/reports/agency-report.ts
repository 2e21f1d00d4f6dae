/**
 * Use case: the agency report of a month or quarter (docs/reports.md): per agency, what was received,
 * resolved (early, on time, late), left overdue, sent back for supplements, rejected, withdrawn and
 * returned by post, the online and digitised shares, and the average working days to resolve.
 */
import type { z } from '@hono/zod-openapi';
import type { AgencyFiguresSchema, AgencyReportSchema } from '../../schemas/reports.js';
import type { WorkingCalendar } from '../calendar/calendar.js';
import { startOfVnDay } from '../deadlines/deadline-state.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import {
  type AgencyCount,
  agencyName,
  type ClosedGroup,
  countClosed,
  countOverdueAt,
  countReceived,
  countResolvedByReceiptDay,
  countSupplementRequests,
} from './report.store.js';
import { reportPeriod } from './report-period.js';

export type AgencyFigures = z.output<typeof AgencyFiguresSchema>;
export type AgencyReport = z.output<typeof AgencyReportSchema>;

export interface ReportQuery {
  month?: string | undefined;
  quarter?: string | undefined;
  agency?: string | undefined;
}

type Counts = Omit<
  AgencyFigures,
  'agency' | 'onTimeRate' | 'onlineShare' | 'digitisedShare' | 'averageWorkingDaysToResolve'
> & {
  workingDaysSum: number;
};

const empty = (): Counts => ({
  received: 0,
  resolved: 0,
  resolvedEarly: 0,
  resolvedOnTime: 0,
  resolvedLate: 0,
  resolvedWithoutDue: 0,
  overdueInProgress: 0,
  supplementRequests: 0,
  rejections: 0,
  withdrawn: 0,
  postalReturns: 0,
  online: 0,
  digitised: 0,
  workingDaysSum: 0,
});

const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;

/**
 * Working days from a fixed origin to each Vietnam day, memoised: the working days between receipt and
 * resolution summed over many dossiers are the sum over resolution days minus the sum over receipt days
 * (docs/calendar.md: working days in (a, b] add up), so the report never counts dossier by dossier.
 */
function workingDayIndex(calendar: WorkingCalendar): (day: number) => number {
  const origin = new Date(0);
  const memo = new Map<number, number>();
  return (day) => {
    let v = memo.get(day);
    if (v === undefined) {
      v = calendar.workingDaysBetween(origin, new Date(day * DAY_MS - VN_OFFSET_MS));
      memo.set(day, v);
    }
    return v;
  };
}

/** Adds one group of closed dossiers to its agency's counts. */
function countClosedGroup(c: Counts, g: ClosedGroup, index: (day: number) => number): void {
  const n = Number(g.n);
  if (g.status === 'rejected') c.rejections += n;
  else if (g.status === 'withdrawn') c.withdrawn += n;
  if (g.status !== 'resolved' && g.status !== 'returned') return;
  c.resolved += n;
  c.postalReturns += Number(g.postal);
  c.workingDaysSum += n * index(g.closed_day);
  if (g.timing === 'none') c.resolvedWithoutDue += n;
  else if (g.timing === 'early') c.resolvedEarly += n;
  else if (g.timing === 'on_time') c.resolvedOnTime += n;
  else c.resolvedLate += n;
}

function figures(agency: { code: string; name: string | null }, c: Counts): AgencyFigures {
  const { workingDaysSum, ...counts } = c;
  const withDue = c.resolvedEarly + c.resolvedOnTime + c.resolvedLate;
  return {
    agency,
    ...counts,
    onTimeRate: ratio(c.resolvedEarly + c.resolvedOnTime, withDue),
    onlineShare: ratio(c.online, c.received),
    digitisedShare: ratio(c.digitised, c.received),
    averageWorkingDaysToResolve:
      c.resolved === 0 ? null : Math.round((workingDaysSum / c.resolved) * 100) / 100,
  };
}

/** The report of the query's period at `nowMs`, one entry per agency with anything to count. */
export async function agencyReport(
  db: Db,
  calendar: WorkingCalendar,
  q: ReportQuery,
  nowMs: number,
): Promise<AgencyReport> {
  const period = reportPeriod(q, nowMs);
  const range = { fromMs: period.fromMs, toMs: period.asOfMs, agency: q.agency };
  const byAgency = new Map<string, Counts>();
  const of = (code: string) => byAgency.get(code) ?? byAgency.set(code, empty()).get(code) ?? empty();
  const add = (rows: AgencyCount[], key: 'overdueInProgress' | 'supplementRequests') => {
    for (const r of rows) of(r.agency_code)[key] += Number(r.n);
  };
  for (const r of await countReceived(db, range)) {
    Object.assign(of(r.agency_code), {
      received: r.received,
      online: Number(r.online),
      digitised: Number(r.digitised),
    });
  }
  const index = workingDayIndex(calendar);
  for (const g of await countClosed(db, range)) countClosedGroup(of(g.agency_code), g, index);
  for (const d of await countResolvedByReceiptDay(db, range)) {
    of(d.agency_code).workingDaysSum -= Number(d.n) * index(d.day);
  }
  // Overdue at the end: the due day passed before the day the period is counted at (docs/reports.md).
  add(await countOverdueAt(db, period.asOfMs, startOfVnDay(period.asOfMs), q.agency), 'overdueInProgress');
  add(await countSupplementRequests(db, range), 'supplementRequests');
  const agencies: AgencyFigures[] = [];
  for (const code of [...byAgency.keys()].sort()) {
    agencies.push(figures({ code, name: await agencyName(db, code) }, of(code)));
  }
  return {
    period: {
      kind: period.kind,
      name: period.name,
      from: toVnIso(period.fromMs),
      to: toVnIso(period.toMs),
      asOf: toVnIso(period.asOfMs),
      current: period.current,
    },
    agencies,
  };
}
