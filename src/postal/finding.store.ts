/**
 * Operator findings (docs/postal.md): something a person must look at, with references (dossier, job)
 * and a detail that holds no personal data. Generic by kind, so other features can open their own.
 */
import type { Db } from '../store/store.js';

export interface NewFinding {
  kind: string;
  dossierId: string | null;
  jobId: string | null;
  detail: string;
  openedAtMs: number;
  /** `job:…` (docs/reconciliation.md: one open finding per subject and kind) and the job's agency. */
  subject?: string | null;
  agency?: string | null;
}

export interface FindingRecord extends NewFinding {
  id: number;
  closedAtMs: number | null;
}

export async function openFinding(db: Db, f: NewFinding): Promise<number> {
  const row = await db
    .insertInto('findings')
    .values({
      kind: f.kind,
      dossier_id: f.dossierId,
      job_id: f.jobId,
      detail: f.detail,
      opened_at_ms: f.openedAtMs,
      closed_at_ms: null,
      subject: f.subject ?? null,
      agency_code: f.agency ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The findings still open, oldest first. */
export async function listOpenFindings(db: Db): Promise<FindingRecord[]> {
  const rows = await db
    .selectFrom('findings')
    .selectAll()
    .where('closed_at_ms', 'is', null)
    .orderBy('opened_at_ms')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    dossierId: r.dossier_id,
    jobId: r.job_id,
    detail: r.detail,
    openedAtMs: r.opened_at_ms,
    closedAtMs: r.closed_at_ms,
  }));
}

/** How many findings whose kind starts with `prefix` are still open. */
export async function countOpenFindings(db: Db, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('closed_at_ms', 'is', null)
    .where('kind', 'like', `${prefix}%`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
