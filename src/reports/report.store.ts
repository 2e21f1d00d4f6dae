/**
 * The facts the agency report counts (docs/reports.md, Stored facts), each read through its own index
 * (migration 0013): receipts from `dossiers_received` and closings from `dossiers_closed`, both
 * covering, so no row is read (a closing's result-return postal job comes from the jobs' unique
 * (dossier, kind) index); open overdue dossiers from `dossiers_open_agency_due`, supplement requests
 * from `status_history_status_at`. Only live dossiers count (a merged-away one is counted as the dossier it was merged into). No personal data.
 */
import { sql } from 'kysely';
import type { Db } from '../store/store.js';

export interface Range {
  fromMs: number;
  toMs: number;
  agency?: string | undefined;
}

export interface ReceivedCount {
  agency_code: string;
  received: number;
  online: number;
  digitised: number;
}

/** Dossiers received in the range, online ones and digitised ones, per agency. */
export async function countReceived(db: Db, r: Range): Promise<ReceivedCount[]> {
  let q = db
    .selectFrom('dossiers')
    .select([
      'agency_code',
      sql<number>`count(*)`.as('received'),
      sql<number>`sum(channel = 'online')`.as('online'),
      sql<number>`sum(digitised)`.as('digitised'),
    ])
    .where('received_at_ms', '>=', r.fromMs)
    .where('received_at_ms', '<', r.toMs)
    .where('merged_into', 'is', null);
  if (r.agency) q = q.where('agency_code', '=', r.agency);
  return q.groupBy('agency_code').execute();
}

/** The Vietnam calendar day (days since 1970-01-01 at UTC+7) of an epoch-milliseconds column. */
const vnDay = (column: 'closed_at_ms' | 'due_at_ms' | 'received_at_ms') =>
  sql<number>`((${sql.ref(column)} + 25200000) / 86400000)`;

export interface ClosedGroup {
  agency_code: string;
  status: string;
  /** The Vietnam day number it was closed on. */
  closed_day: number;
  /** Closed on a day before, on or after the due day; none without a due date. */
  timing: 'early' | 'on_time' | 'late' | 'none';
  n: number;
  /** How many of them have a result-return postal job that was not cancelled. */
  postal: number;
}

/** The filter of closings in the range: the covering index's own condition, then the range. */
function closedIn(db: Db, r: Range) {
  let q = db
    .selectFrom('dossiers')
    .where(sql<boolean>`closed_at_ms IS NOT NULL AND merged_into IS NULL`)
    .where('closed_at_ms', '>=', r.fromMs)
    .where('closed_at_ms', '<', r.toMs);
  if (r.agency) q = q.where('agency_code', '=', r.agency);
  return q;
}

/**
 * Dossiers that left processing in the range (resolved, returned, rejected, withdrawn, suspended),
 * counted per agency, status, day closed and timing against the due day, in SQL.
 */
export async function countClosed(db: Db, r: Range): Promise<ClosedGroup[]> {
  return closedIn(db, r)
    .select([
      'agency_code',
      'status',
      vnDay('closed_at_ms').as('closed_day'),
      sql<ClosedGroup['timing']>`CASE WHEN due_at_ms IS NULL THEN 'none'
        WHEN ${vnDay('closed_at_ms')} < ${vnDay('due_at_ms')} THEN 'early'
        WHEN ${vnDay('closed_at_ms')} = ${vnDay('due_at_ms')} THEN 'on_time' ELSE 'late' END`.as('timing'),
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(EXISTS (SELECT 1 FROM postal_jobs AS j WHERE j.dossier_id = dossiers.id
        AND j.kind = 'return' AND j.state != 'cancelled'))`.as('postal'),
    ])
    .groupBy(['agency_code', 'status', 'closed_day', 'timing'])
    .execute();
}

export interface DayCount {
  agency_code: string;
  day: number;
  n: number;
}

/** Dossiers resolved (or returned) in the range, per agency and Vietnam day of receipt. */
export async function countResolvedByReceiptDay(db: Db, r: Range): Promise<DayCount[]> {
  return closedIn(db, r)
    .where('status', 'in', ['resolved', 'returned'])
    .select(['agency_code', vnDay('received_at_ms').as('day'), sql<number>`count(*)`.as('n')])
    .groupBy(['agency_code', 'day'])
    .execute();
}

export interface AgencyCount {
  agency_code: string;
  n: number;
}

/**
 * Dossiers open at `asOfMs` whose due instant is before `dueBeforeMs`: those open now (the open-due
 * index; a due instant is never before the receipt, so they were received by then), and those closed
 * at or after `asOfMs` and received before it (the closings index).
 */
export async function countOverdueAt(
  db: Db,
  asOfMs: number,
  dueBeforeMs: number,
  agency: string | undefined,
): Promise<AgencyCount[]> {
  let open = db
    .selectFrom('dossiers')
    .select(['agency_code', sql<number>`count(*)`.as('n')])
    .where(sql<boolean>`merged_into IS NULL AND closed_at_ms IS NULL AND due_at_ms IS NOT NULL`)
    .where('due_at_ms', '<', dueBeforeMs);
  let later = db
    .selectFrom('dossiers')
    .select(['agency_code', sql<number>`count(*)`.as('n')])
    .where(sql<boolean>`closed_at_ms IS NOT NULL AND merged_into IS NULL`)
    .where('closed_at_ms', '>=', asOfMs)
    .where('due_at_ms', '<', dueBeforeMs)
    .where('received_at_ms', '<', asOfMs);
  if (agency) {
    open = open.where('agency_code', '=', agency);
    later = later.where('agency_code', '=', agency);
  }
  return [
    ...(await open.groupBy('agency_code').execute()),
    ...(await later.groupBy('agency_code').execute()),
  ];
}

/** Supplement requests (applied `supplement_requested` steps) in the range, per dossier agency. */
export async function countSupplementRequests(db: Db, r: Range): Promise<AgencyCount[]> {
  let q = db
    .selectFrom('status_history as h')
    .innerJoin('dossiers as d', 'd.id', 'h.dossier_id')
    .select(['d.agency_code as agency_code', sql<number>`count(*)`.as('n')])
    .where('h.status', '=', 'supplement_requested')
    .where('h.at_ms', '>=', r.fromMs)
    .where('h.at_ms', '<', r.toMs)
    .where('h.applied', '=', 1)
    .where('d.merged_into', 'is', null);
  if (r.agency) q = q.where('d.agency_code', '=', r.agency);
  return q.groupBy('d.agency_code').execute();
}

/** An agency's name as its most recently changed dossier carries it. */
export async function agencyName(db: Db, agency: string): Promise<string | null> {
  const row = await db
    .selectFrom('dossiers')
    .select(sql<string | null>`json_extract(data, '$.agency.name')`.as('name'))
    .where('agency_code', '=', agency)
    .orderBy('updated_at_ms', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.name ?? null;
}
