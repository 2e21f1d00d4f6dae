/**
 * Postal job rows (docs/postal.md): created once per dossier and kind, claimed with a lease in one
 * UPDATE … RETURNING statement (two claimers never get the same row), accepted, released, finished,
 * and listed for operators. One named function per statement; rows in, records out.
 */

import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { type JobKind, type JobPayload, JobPayloadSchema, type JobState } from '../../schemas/postal.js';
import { decodeJsonColumn } from '../../schemas/stored.js';
import { literalLimit } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { Database, PostalJobRow } from '../store/tables.js';

/** The lease a puller names (owner + token) is still its own and in force at `now` (docs/postal.md). */
function holdsLease(
  eb: ExpressionBuilder<Database, 'postal_jobs'>,
  l: { id: string; owner: string; token: string; now: number },
): Expression<SqlBool> {
  return eb.and([
    eb('id', '=', l.id),
    eb('state', '=', 'leased'),
    eb('lease_owner', '=', l.owner),
    eb('lease_token', '=', l.token),
    eb('lease_until_ms', '>=', l.now),
  ]);
}

export interface JobRecord {
  id: string;
  kind: JobKind;
  dossierId: string;
  agency: string;
  orderNumber: string;
  payload: JobPayload;
  state: JobState;
  leaseOwner: string | null;
  leaseToken: string | null;
  leaseUntilMs: number | null;
  acceptedBy: string | null;
  trackingNumber: string | null;
  failedDeliveries: number;
  finalAtMs: number | null;
  createdAtMs: number;
  dueByMs: number;
  updatedAtMs: number;
}

function toRecord(r: PostalJobRow): JobRecord {
  return {
    id: r.id,
    kind: r.kind,
    dossierId: r.dossier_id,
    agency: r.agency_code,
    orderNumber: r.order_number,
    payload: decodeJsonColumn<JobPayload>(JobPayloadSchema, 'postal_jobs.payload', r.payload),
    state: r.state,
    leaseOwner: r.lease_owner,
    leaseToken: r.lease_token,
    leaseUntilMs: r.lease_until_ms,
    acceptedBy: r.accepted_by,
    trackingNumber: r.tracking_number,
    failedDeliveries: r.failed_deliveries,
    finalAtMs: r.final_at_ms,
    createdAtMs: r.created_at_ms,
    dueByMs: r.due_by_ms,
    updatedAtMs: r.updated_at_ms,
  };
}

export interface NewJob {
  id: string;
  kind: JobKind;
  dossierId: string;
  agency: string;
  orderNumber: string;
  payload: JobPayload;
  createdAtMs: number;
  dueByMs: number;
}

/** Inserts the job unless the dossier already has one of this kind; true when it was inserted. */
export async function insertJobOnce(db: Db, j: NewJob): Promise<boolean> {
  const rows = await db
    .insertInto('postal_jobs')
    .values({
      id: j.id,
      kind: j.kind,
      dossier_id: j.dossierId,
      agency_code: j.agency,
      order_number: j.orderNumber,
      payload: JSON.stringify(j.payload),
      state: 'open',
      failed_deliveries: 0,
      created_at_ms: j.createdAtMs,
      due_by_ms: j.dueByMs,
      updated_at_ms: j.createdAtMs,
    })
    .onConflict((oc) => oc.columns(['dossier_id', 'kind']).doNothing())
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Leased jobs whose lease ran out before `now` are open again (a crashed puller loses nothing). */
export async function reopenExpiredLeases(db: Db, now: number): Promise<void> {
  await db
    .updateTable('postal_jobs')
    .set({ state: 'open', lease_owner: null, lease_token: null, lease_until_ms: null })
    .where('state', '=', 'leased')
    .where('lease_until_ms', '<', now)
    .execute();
}

/**
 * Leases up to `limit` of the oldest open jobs of `kinds` to `owner`, in one statement; each job's
 * token is the claim's token followed by the job id, so a token names one lease of one job.
 */
export async function claimOpenJobs(
  db: Db,
  o: { owner: string; token: string; kinds: readonly JobKind[]; now: number; leaseMs: number; limit: number },
): Promise<JobRecord[]> {
  const rows = await db
    .updateTable('postal_jobs')
    .set((eb) => ({
      state: 'leased',
      lease_owner: o.owner,
      lease_token: sql<string>`${`${o.token}.`} || ${eb.ref('id')}`,
      lease_until_ms: o.now + o.leaseMs,
      updated_at_ms: o.now,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('postal_jobs')
        .select('id')
        .where('state', '=', 'open')
        .where('kind', 'in', o.kinds)
        .orderBy('created_at_ms')
        .limit(literalLimit(o.limit)),
    )
    .returningAll()
    .execute();
  return rows.map(toRecord).sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
}

export async function findJob(db: Db, id: string): Promise<JobRecord | undefined> {
  const row = await db.selectFrom('postal_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findJobByTracking(db: Db, trackingNumber: string): Promise<JobRecord | undefined> {
  const row = await db
    .selectFrom('postal_jobs')
    .selectAll()
    .where('tracking_number', '=', trackingNumber)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Accepts a job this owner leases with this token, in force at `now`; false when any of it fails. */
export async function acceptLeasedJob(
  db: Db,
  a: { id: string; owner: string; token: string; trackingNumber: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('postal_jobs')
    .set({
      state: 'accepted',
      accepted_by: a.owner,
      tracking_number: a.trackingNumber,
      lease_token: null,
      lease_until_ms: null,
      updated_at_ms: a.now,
    })
    .where((eb) => holdsLease(eb, a))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives a leased job back to the pool; false when this owner no longer holds that lease. */
export async function releaseLeasedJob(
  db: Db,
  r: { id: string; owner: string; token: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('postal_jobs')
    .set({ state: 'open', lease_owner: null, lease_token: null, lease_until_ms: null, updated_at_ms: r.now })
    .where((eb) => holdsLease(eb, r))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Writes what an event changed on an accepted job: its state, failures and final time. */
export async function updateJobProgress(
  db: Db,
  u: { id: string; state: JobState; failedDeliveries: number; finalAtMs: number | null; now: number },
): Promise<void> {
  await db
    .updateTable('postal_jobs')
    .set({
      state: u.state,
      failed_deliveries: u.failedDeliveries,
      final_at_ms: u.finalAtMs,
      updated_at_ms: u.now,
    })
    .where('id', '=', u.id)
    .execute();
}

export interface JobFilter {
  state?: JobState | undefined;
  kind?: JobKind | undefined;
  agency?: string | undefined;
  /** Jobs after this (created time, id) position. */
  after?: { createdAtMs: number; id: string } | undefined;
  limit: number;
}

/** Jobs matching the filter, oldest first, one more than `limit` to tell whether a page follows. */
export async function listJobs(db: Db, f: JobFilter): Promise<JobRecord[]> {
  let q = db.selectFrom('postal_jobs').selectAll();
  if (f.state) q = q.where('state', '=', f.state);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.agency) q = q.where('agency_code', '=', f.agency);
  const after = f.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at_ms', '>', after.createdAtMs),
        eb.and([eb('created_at_ms', '=', after.createdAtMs), eb('id', '>', after.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(literalLimit(f.limit + 1))
    .execute();
  return rows.map(toRecord);
}

/** When the oldest job nobody holds was created (open, or leased with a lease that ran out); null if none. */
export async function oldestUnclaimedJobMs(db: Db, now: number): Promise<number | null> {
  const row = await db
    .selectFrom('postal_jobs')
    .select((eb) => eb.fn.min('created_at_ms').as('oldest'))
    .where((eb) =>
      eb.or([eb('state', '=', 'open'), eb.and([eb('state', '=', 'leased'), eb('lease_until_ms', '<', now)])]),
    )
    .executeTakeFirst();
  return row?.oldest ?? null;
}
