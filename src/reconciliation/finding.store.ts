/**
 * Findings as reconciliation sees them (docs/reconciliation.md): the `findings` table of the postal work
 * (0009), extended by 0014 with a subject, an agency, the transfer or review named and the runs that
 * opened and closed it. One open finding per subject and kind (a partial unique index). Rows hold
 * references and a fixed detail only, never personal data (docs/privacy.md).
 */
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { FindingTable } from '../store/tables.js';

export interface RunFinding {
  kind: string;
  /** `dossier:…`, `transfer:…`, `job:…` or `review:…`. */
  subject: string;
  dossierId: string | null;
  agency: string | null;
  transferId?: number | null;
  jobId?: string | null;
  reviewId?: string | null;
  detail: string;
}

export interface StoredFinding extends RunFinding {
  id: number;
  openedAtMs: number;
  closedAtMs: number | null;
  openedByRun: string | null;
  closedByRun: string | null;
}

type Row = Pick<
  FindingTable,
  | 'kind'
  | 'subject'
  | 'dossier_id'
  | 'agency_code'
  | 'transfer_id'
  | 'job_id'
  | 'review_id'
  | 'detail'
  | 'opened_at_ms'
  | 'closed_at_ms'
  | 'opened_by_run'
  | 'closed_by_run'
> & { id: number };

const toFinding = (r: Row): StoredFinding => ({
  id: r.id,
  kind: r.kind,
  subject: r.subject ?? '',
  dossierId: r.dossier_id,
  agency: r.agency_code,
  transferId: r.transfer_id,
  jobId: r.job_id,
  reviewId: r.review_id,
  detail: r.detail,
  openedAtMs: r.opened_at_ms,
  closedAtMs: r.closed_at_ms,
  openedByRun: r.opened_by_run,
  closedByRun: r.closed_by_run,
});

/** Opens a finding; the partial unique index refuses a second open one for the same subject and kind. */
export async function insertRunFinding(db: Db, f: RunFinding, now: number, runId: string): Promise<number> {
  const row = await db
    .insertInto('findings')
    .values({
      kind: f.kind,
      subject: f.subject,
      dossier_id: f.dossierId,
      agency_code: f.agency,
      transfer_id: f.transferId ?? null,
      job_id: f.jobId ?? null,
      review_id: f.reviewId ?? null,
      detail: f.detail,
      opened_at_ms: now,
      closed_at_ms: null,
      opened_by_run: runId,
      closed_by_run: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Closes an open finding; false when it was closed already. */
export async function closeFindingRow(db: Db, id: number, now: number, runId: string): Promise<boolean> {
  const r = await db
    .updateTable('findings')
    .set({ closed_at_ms: now, closed_by_run: runId })
    .where('id', '=', id)
    .where('closed_at_ms', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The open findings of `kind` among `subjects`, by subject. */
export async function findOpenBySubjects(
  db: Db,
  kind: string,
  subjects: readonly string[],
): Promise<Map<string, StoredFinding>> {
  const out = new Map<string, StoredFinding>();
  for (let i = 0; i < subjects.length; i += 500) {
    const rows = await db
      .selectFrom('findings')
      .selectAll()
      .where('kind', '=', kind)
      .where('subject', 'in', subjects.slice(i, i + 500))
      .where('closed_at_ms', 'is', null)
      .execute();
    for (const r of rows) out.set(r.subject ?? '', toFinding(r));
  }
  return out;
}

/** Dossier ids with an open finding of one of `kinds`, after `afterId`, in id order. */
export async function findOpenDossierIds(
  db: Db,
  kinds: readonly string[],
  afterId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('findings')
    .select('dossier_id')
    .distinct()
    .where('kind', 'in', kinds)
    .where('closed_at_ms', 'is', null)
    .where('dossier_id', '>', afterId)
    .orderBy('dossier_id')
    .limit(literalLimit(limit))
    .execute();
  return rows.map((r) => r.dossier_id).filter((d): d is string => d !== null);
}

export interface FindingFilter {
  kind?: string | undefined;
  agency?: string | undefined;
  /** true: open only; false: closed only; absent: both. */
  open?: boolean | undefined;
  afterId?: number | undefined;
  limit: number;
}

/** One page of findings in id order. */
export async function selectFindingPage(db: Db, f: FindingFilter): Promise<StoredFinding[]> {
  let q = db.selectFrom('findings').selectAll();
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.agency) q = q.where('agency_code', '=', f.agency);
  if (f.open === true) q = q.where('closed_at_ms', 'is', null);
  if (f.open === false) q = q.where('closed_at_ms', 'is not', null);
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  const rows = await q.orderBy('id').limit(literalLimit(f.limit)).execute();
  return rows.map(toFinding);
}

/** Open findings per kind (metrics, the dashboard). */
export async function countOpenByKind(db: Db): Promise<{ kind: string; n: number }[]> {
  const rows = await db
    .selectFrom('findings')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('closed_at_ms', 'is', null)
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

/** Open findings of `kind` after id `afterId`, in id order (id, kind, dossier). */
export async function selectOpenOfKind(
  db: Db,
  kind: string,
  afterId: number,
  limit: number,
): Promise<{ id: number; kind: string; dossierId: string | null }[]> {
  const rows = await db
    .selectFrom('findings')
    .select(['id', 'kind', 'dossier_id'])
    .where('kind', '=', kind)
    .where('closed_at_ms', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(literalLimit(limit))
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, dossierId: r.dossier_id }));
}
