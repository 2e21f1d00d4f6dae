/**
 * The gateway's own invariants a reconciliation run checks (docs/reconciliation.md): what should open a
 * finding (dead and stuck transfers, dedup reviews waiting too long, postal jobs past their due time) and
 * which open findings no longer hold (so the run closes them). Each query reads references only.
 */
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
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

/** Dead transfers with no open `dead_transfer` finding. */
export async function deadTransfersWithoutFinding(db: Db, w: InvariantWindow): Promise<RunFinding[]> {
  const rows = await db
    .selectFrom('transfers')
    .innerJoin('dossiers', 'dossiers.id', 'transfers.dossier_id')
    .select([
      'transfers.id',
      'transfers.destination',
      'transfers.kind',
      'transfers.dossier_id',
      'dossiers.agency_code',
    ])
    .where('transfers.state', '=', 'dead')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('findings')
            .select('findings.id')
            .where('findings.kind', '=', 'dead_transfer')
            .whereRef('findings.transfer_id', '=', 'transfers.id')
            .where('findings.closed_at_ms', 'is', null),
        ),
      ),
    )
    .orderBy('transfers.id')
    .limit(literalLimit(w.limit))
    .execute();
  return rows.map((r) => ({
    kind: 'dead_transfer',
    subject: `transfer:${r.id}`,
    dossierId: r.dossier_id,
    agency: r.agency_code,
    transferId: r.id,
    detail: `${r.destination} ${r.kind} transfer is a dead letter`,
  }));
}

/**
 * Transfers queued before `stuckBeforeMs` that nothing explains: pending and already due (not waiting for
 * a backoff, quiet hours or a dead letter before it) or in flight with an expired lease, on a destination
 * whose circuit is closed (an open circuit is the outage itself), without a finding.
 */
export async function stuckTransfersWithoutFinding(db: Db, w: InvariantWindow): Promise<RunFinding[]> {
  const rows = await db
    .selectFrom('transfers')
    .innerJoin('dossiers', 'dossiers.id', 'transfers.dossier_id')
    .select([
      'transfers.id',
      'transfers.destination',
      'transfers.kind',
      'transfers.dossier_id',
      'dossiers.agency_code',
    ])
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
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('findings')
            .select('findings.id')
            .where('findings.kind', '=', 'stuck_transfer')
            .whereRef('findings.transfer_id', '=', 'transfers.id')
            .where('findings.closed_at_ms', 'is', null),
        ),
      ),
    )
    .orderBy('transfers.id')
    .limit(literalLimit(w.limit))
    .execute();
  return rows.map((r) => ({
    kind: 'stuck_transfer',
    subject: `transfer:${r.id}`,
    dossierId: r.dossier_id,
    agency: r.agency_code,
    transferId: r.id,
    detail: `${r.destination} ${r.kind} transfer not delivered in time`,
  }));
}

/** Pending dedup reviews created before `reviewBeforeMs`, without a finding. */
export async function waitingReviewsWithoutFinding(db: Db, w: InvariantWindow): Promise<RunFinding[]> {
  const rows = await db
    .selectFrom('dedup_reviews')
    .innerJoin('dossiers', 'dossiers.id', 'dedup_reviews.dossier_id')
    .select(['dedup_reviews.id', 'dedup_reviews.dossier_id', 'dossiers.agency_code'])
    .where('dedup_reviews.state', '=', 'pending')
    .where('dedup_reviews.created_at_ms', '<', w.reviewBeforeMs)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('findings')
            .select('findings.id')
            .where('findings.kind', '=', 'review_waiting')
            .whereRef('findings.review_id', '=', 'dedup_reviews.id')
            .where('findings.closed_at_ms', 'is', null),
        ),
      ),
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
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('findings')
            .select('findings.id')
            .where('findings.kind', '=', 'postal_stalled')
            .whereRef('findings.job_id', '=', 'postal_jobs.id')
            .where('findings.closed_at_ms', 'is', null),
        ),
      ),
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
        eb.and([
          eb('f.kind', '=', 'dead_transfer'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('transfers as t')
                .select('t.id')
                .whereRef('t.id', '=', 'f.transfer_id')
                .where('t.state', '=', 'dead'),
            ),
          ),
        ]),
        eb.and([
          eb('f.kind', '=', 'stuck_transfer'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('transfers as t')
                .select('t.id')
                .whereRef('t.id', '=', 'f.transfer_id')
                .where('t.state', 'in', ['pending', 'in_flight']),
            ),
          ),
        ]),
        eb.and([
          eb('f.kind', '=', 'review_waiting'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('dedup_reviews as r')
                .select('r.id')
                .whereRef('r.id', '=', 'f.review_id')
                .where('r.state', '=', 'pending'),
            ),
          ),
        ]),
        eb.and([
          eb('f.kind', 'in', ['postal_stalled', 'delivery_failed']),
          eb.not(
            eb.exists(
              eb
                .selectFrom('postal_jobs as j')
                .select('j.id')
                .whereRef('j.id', '=', 'f.job_id')
                .where('j.state', 'in', NOT_FINAL_JOB),
            ),
          ),
        ]),
      ]),
    )
    .orderBy('f.id')
    .limit(literalLimit(w.limit))
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, dossierId: r.dossier_id }));
}
