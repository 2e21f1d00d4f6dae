/**
 * The gateway's own invariants a reconciliation run checks (docs/reconciliation.md): what should open a
 * finding (dead and stuck transfers, dedup reviews waiting too long, postal jobs past their due time) and
 * which open findings no longer hold (so the run closes them). Each query reads references only.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { Database } from '../store/tables.js';
import { behindDeadLetter } from '../transfers/transfer.store.js';
import type { RunFinding } from './finding.store.js';

/** What each check needs besides the database. */
export interface InvariantWindow {
  now: number;
  stuckBeforeMs: number;
  reviewBeforeMs: number;
  limit: number;
}

const NOT_FINAL_JOB = ['open', 'leased', 'accepted'] as const;

/** The findings column naming a subject, and the subject's own id column. */
type FindingLink =
  | ['findings.transfer_id', 'transfers.id']
  | ['findings.review_id', 'dedup_reviews.id']
  | ['findings.job_id', 'postal_jobs.id'];

/** The open finding of `kind` naming the subject row of the outer query (used under `not exists`). */
function openFinding(db: Db, kind: string, [column, subjectId]: FindingLink) {
  return db
    .selectFrom('findings')
    .select('findings.id')
    .where('findings.kind', '=', kind)
    .whereRef(column, '=', db.dynamic.ref(subjectId))
    .where('findings.closed_at_ms', 'is', null);
}

/** Transfers with their dossier's agency: what a transfer finding names. */
function transfersWithAgency(db: Db) {
  return db
    .selectFrom('transfers')
    .innerJoin('dossiers', 'dossiers.id', 'transfers.dossier_id')
    .select([
      'transfers.id',
      'transfers.destination',
      'transfers.kind',
      'transfers.dossier_id',
      'dossiers.agency_code',
    ]);
}

type TransferWithAgency = Awaited<ReturnType<ReturnType<typeof transfersWithAgency>['execute']>>[number];

function transferFinding(kind: string, r: TransferWithAgency, what: string): RunFinding {
  return {
    kind,
    subject: `transfer:${r.id}`,
    dossierId: r.dossier_id,
    agency: r.agency_code,
    transferId: r.id,
    detail: `${r.destination} ${r.kind} transfer ${what}`,
  };
}

/** Dead transfers with no open `dead_transfer` finding. */
export async function deadTransfersWithoutFinding(db: Db, w: InvariantWindow): Promise<RunFinding[]> {
  const rows = await transfersWithAgency(db)
    .where('transfers.state', '=', 'dead')
    .where(({ not, exists }) =>
      not(exists(openFinding(db, 'dead_transfer', ['findings.transfer_id', 'transfers.id']))),
    )
    .orderBy('transfers.id')
    .limit(literalLimit(w.limit))
    .execute();
  return rows.map((r) => transferFinding('dead_transfer', r, 'is a dead letter'));
}

/**
 * Transfers queued before `stuckBeforeMs` that nothing explains: pending and already due (not waiting for
 * a backoff, quiet hours or a dead letter before it) or in flight with an expired lease, on a destination
 * whose circuit is closed (an open circuit is the outage itself), without a finding.
 */
export async function stuckTransfersWithoutFinding(db: Db, w: InvariantWindow): Promise<RunFinding[]> {
  const rows = await transfersWithAgency(db)
    .where('transfers.created_at_ms', '<', w.stuckBeforeMs)
    .where((eb) =>
      eb.or([
        eb.and([eb('transfers.state', '=', 'pending'), eb('transfers.next_attempt_at_ms', '<=', w.now)]),
        eb.and([eb('transfers.state', '=', 'in_flight'), eb('transfers.lease_until_ms', '<', w.now)]),
      ]),
    )
    .where((eb) => eb.not(behindDeadLetter(eb as never)))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('destinations')
            .select('destinations.name')
            .whereRef('destinations.name', '=', 'transfers.destination')
            .where('destinations.circuit', '!=', 'closed'),
        ),
      ),
    )
    .where(({ not, exists }) =>
      not(exists(openFinding(db, 'stuck_transfer', ['findings.transfer_id', 'transfers.id']))),
    )
    .orderBy('transfers.id')
    .limit(literalLimit(w.limit))
    .execute();
  return rows.map((r) => transferFinding('stuck_transfer', r, 'not delivered in time'));
}

/** Pending dedup reviews created before `reviewBeforeMs`, without a finding. */
export async function waitingReviewsWithoutFinding(db: Db, w: InvariantWindow): Promise<RunFinding[]> {
  const rows = await db
    .selectFrom('dedup_reviews')
    .innerJoin('dossiers', 'dossiers.id', 'dedup_reviews.dossier_id')
    .select(['dedup_reviews.id', 'dedup_reviews.dossier_id', 'dossiers.agency_code'])
    .where('dedup_reviews.state', '=', 'pending')
    .where('dedup_reviews.created_at_ms', '<', w.reviewBeforeMs)
    .where(({ not, exists }) =>
      not(exists(openFinding(db, 'review_waiting', ['findings.review_id', 'dedup_reviews.id']))),
    )
    .orderBy('dedup_reviews.id')
    .limit(literalLimit(w.limit))
    .execute();
  return rows.map((r) => ({
    kind: 'review_waiting',
    subject: `review:${r.id}`,
    dossierId: r.dossier_id,
    agency: r.agency_code,
    reviewId: r.id,
    detail: 'a possible dual entry waits for an operator',
  }));
}

/** Postal jobs not final past their due time, without a finding. */
export async function stalledJobsWithoutFinding(db: Db, w: InvariantWindow): Promise<RunFinding[]> {
  const rows = await db
    .selectFrom('postal_jobs')
    .select(['id', 'kind', 'state', 'dossier_id', 'agency_code'])
    .where('state', 'in', NOT_FINAL_JOB)
    .where('due_by_ms', '<', w.now)
    .where(({ not, exists }) =>
      not(exists(openFinding(db, 'postal_stalled', ['findings.job_id', 'postal_jobs.id']))),
    )
    .orderBy('id')
    .limit(literalLimit(w.limit))
    .execute();
  return rows.map((r) => ({
    kind: 'postal_stalled',
    subject: `job:${r.id}`,
    dossierId: r.dossier_id,
    agency: r.agency_code,
    jobId: r.id,
    detail: `${r.kind} job still ${r.state} after its due time`,
  }));
}

type OpenFindingEb = ExpressionBuilder<Database & { f: Database['findings'] }, 'f'>;

/** A finding of one of `kinds` whose subject is no longer in the state `subjectStill` describes. */
function clearedWhen(
  eb: OpenFindingEb,
  kinds: readonly string[],
  subjectStill: Expression<unknown>,
): Expression<SqlBool> {
  return eb.and([eb('f.kind', 'in', kinds), eb.not(eb.exists(subjectStill))]);
}

/** The finding's transfer is still in one of `states`. */
function transferStill(eb: OpenFindingEb, states: readonly ('dead' | 'pending' | 'in_flight')[]) {
  return eb
    .selectFrom('transfers as t')
    .select('t.id')
    .whereRef('t.id', '=', 'f.transfer_id')
    .where('t.state', 'in', states);
}

/** Open findings of the invariant kinds whose condition no longer holds: ids and kinds. */
export async function clearedInvariantFindings(
  db: Db,
  w: InvariantWindow,
): Promise<{ id: number; kind: string; dossierId: string | null }[]> {
  const rows = await db
    .selectFrom('findings as f')
    .select(['f.id', 'f.kind', 'f.dossier_id'])
    .where('f.closed_at_ms', 'is', null)
    .where((eb) =>
      eb.or([
        clearedWhen(eb, ['dead_transfer'], transferStill(eb, ['dead'])),
        clearedWhen(eb, ['stuck_transfer'], transferStill(eb, ['pending', 'in_flight'])),
        clearedWhen(
          eb,
          ['review_waiting'],
          eb
            .selectFrom('dedup_reviews as r')
            .select('r.id')
            .whereRef('r.id', '=', 'f.review_id')
            .where('r.state', '=', 'pending'),
        ),
        clearedWhen(
          eb,
          ['postal_stalled', 'delivery_failed'],
          eb
            .selectFrom('postal_jobs as j')
            .select('j.id')
            .whereRef('j.id', '=', 'f.job_id')
            .where('j.state', 'in', NOT_FINAL_JOB),
        ),
      ]),
    )
    .orderBy('f.id')
    .limit(literalLimit(w.limit))
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, dossierId: r.dossier_id }));
}
