/**
 * Transfer rows: queueing, holding and releasing, claiming with a lease, finishing an attempt, and the
 * operators' views (list, replay, health counts). Claiming is one UPDATE … RETURNING statement, so two
 * workers (threads or processes) can never claim the same row, and only the head of each (destination,
 * dossier) queue is claimable, which keeps per-dossier order. The queue rules are written once, as the
 * named predicates below. One named function per statement.
 */
import { type AliasableExpression, type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { literalLimit, prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { Database, NewTransfer, TransferRow, TransferTable } from '../store/tables.js';

export type TransferState = TransferTable['state'];

type TransfersEb = ExpressionBuilder<Database, 'transfers'>;

/** An earlier transfer of the same (destination, dossier) queue is in one of `states`. */
function earlierInQueue(eb: TransfersEb, states: readonly TransferState[]): AliasableExpression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('transfers as p')
      .select('p.id')
      .whereRef('p.destination', '=', 'transfers.destination')
      .whereRef('p.dossier_id', '=', 'transfers.dossier_id')
      .whereRef('p.seq', '<', 'transfers.seq')
      .where('p.state', 'in', states),
  );
}

/** States of an earlier transfer that keep the transfers behind it waiting. */
export const HOLDING_STATES: readonly TransferState[] = ['pending', 'in_flight', 'dead', 'held'];

/**
 * An earlier transfer holds this one back: one of the same destination and dossier is pending, in
 * flight, dead or held. Only a transfer no earlier one holds back (its queue's head) is ever claimed.
 */
export function heldBackByEarlier(eb: TransfersEb): AliasableExpression<SqlBool> {
  return earlierInQueue(eb, HOLDING_STATES);
}

/** Behind a dead letter: an earlier transfer of the same destination and dossier is dead. */
export function behindDeadLetter(eb: TransfersEb): AliasableExpression<SqlBool> {
  return earlierInQueue(eb, ['dead']);
}

/** Blocked behind a dead letter: a pending transfer with an earlier dead one; it waits for a replay. */
export function blockedBehindDeadLetter(eb: TransfersEb): AliasableExpression<SqlBool> {
  return eb.and([eb('transfers.state', '=', 'pending'), behindDeadLetter(eb)]);
}

/** The operators' filter of transfers; instants in epoch milliseconds. */
export interface TransferFilter {
  destination?: string | undefined;
  /** The dossier's agency code. */
  agency?: string | undefined;
  dossierId?: string | undefined;
  /** Queued at or after. */
  fromMs?: number | undefined;
  /** Queued before. */
  toMs?: number | undefined;
}

/** Transfers (joined with their dossier) that match every given part of `f`. */
function matchesFilter(
  eb: ExpressionBuilder<Database, 'transfers' | 'dossiers'>,
  f: TransferFilter,
): AliasableExpression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (f.destination) parts.push(eb('transfers.destination', '=', f.destination));
  if (f.agency) parts.push(eb('dossiers.agency_code', '=', f.agency));
  if (f.dossierId) parts.push(eb('transfers.dossier_id', '=', f.dossierId));
  if (f.fromMs !== undefined) parts.push(eb('transfers.created_at_ms', '>=', f.fromMs));
  if (f.toMs !== undefined) parts.push(eb('transfers.created_at_ms', '<', f.toMs));
  return eb.and(parts);
}

/** The next sequence number of a (destination, dossier) queue. */
export async function nextTransferSeq(db: Db, destination: string, dossierId: string): Promise<number> {
  const last = await selectLastSeq.first(db, { destination, dossierId });
  return (last?.seq ?? 0) + 1;
}

/** Inserts one transfer row and returns its id. */
export async function insertTransfer(db: Db, row: NewTransfer): Promise<number> {
  const inserted = await insertRow.first(db, row);
  if (!inserted) throw new Error('transfers insert returned no id');
  return inserted.id;
}

// Every accepted change queues transfers: both statements are prepared once.
const selectLastSeq = prepared<{ destination: string; dossierId: string }>()((db, p) =>
  db
    .selectFrom('transfers')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('destination', '=', p.destination)
    .where('dossier_id', '=', p.dossierId),
);

/** Columns left out of `row` are written as NULL. */
const insertRow = prepared<NewTransfer>()((db, p) =>
  db
    .insertInto('transfers')
    .values({
      destination: p.destination,
      kind: p.kind,
      dossier_id: p.dossier_id,
      seq: p.seq,
      idempotency_key: p.idempotency_key,
      payload: p.payload,
      state: p.state,
      attempts: p.attempts,
      next_attempt_at_ms: p.next_attempt_at_ms,
      lease_owner: p.lease_owner,
      lease_until_ms: p.lease_until_ms,
      last_error: p.last_error,
      created_at_ms: p.created_at_ms,
      updated_at_ms: p.updated_at_ms,
    })
    .returning('id'),
);

/** Ends the hold on a dossier's held transfers with `set`; returns how many there were. */
async function endHold(
  db: Db,
  dossierId: string,
  set: {
    state: 'pending' | 'cancelled';
    updated_at_ms: number;
    next_attempt_at_ms?: number;
    last_error?: string;
  },
): Promise<number> {
  const result = await db
    .updateTable('transfers')
    .set(set)
    .where('dossier_id', '=', dossierId)
    .where('state', '=', 'held')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Held transfers of a dossier become due now (its review kept it apart). Returns how many. */
export function releaseHeldTransfers(db: Db, dossierId: string, now: number): Promise<number> {
  return endHold(db, dossierId, { state: 'pending', next_attempt_at_ms: now, updated_at_ms: now });
}

/** Held transfers of a dossier are cancelled with a reason (it was merged away). Returns how many. */
export function cancelHeldTransfers(db: Db, dossierId: string, reason: string, now: number): Promise<number> {
  return endHold(db, dossierId, { state: 'cancelled', updated_at_ms: now, last_error: reason });
}

/** Claims up to `limit` queue heads that are due (or whose lease expired) for `owner`. */
export async function claimTransfers(
  db: Db,
  o: { destination: string; owner: string; now: number; leaseMs: number; limit: number },
): Promise<TransferRow[]> {
  // Claims whose lease ran out (a crashed or stalled worker) go back to the queue first.
  await requeueExpiredLeases(db, o.destination, o.now);
  return claimQueueHeads(db, o);
}

/** In-flight transfers whose lease ended before `now` are pending again, without an owner. */
export async function requeueExpiredLeases(db: Db, destination: string, now: number): Promise<void> {
  await db
    .updateTable('transfers')
    .set({ state: 'pending', lease_owner: null, lease_until_ms: null })
    .where('state', '=', 'in_flight')
    .where('destination', '=', destination)
    .where('lease_until_ms', '<', now)
    .execute();
}

/**
 * Leases up to `limit` due pending transfers that nothing earlier holds back to `owner`, by id. One
 * statement, so two workers never claim the same row; the (state, destination, next_attempt_at_ms)
 * index yields due rows in order without sorting the backlog.
 */
export async function claimQueueHeads(
  db: Db,
  o: { destination: string; owner: string; now: number; leaseMs: number; limit: number },
): Promise<TransferRow[]> {
  const rows = await db
    .updateTable('transfers')
    .set({
      state: 'in_flight',
      lease_owner: o.owner,
      lease_until_ms: o.now + o.leaseMs,
      updated_at_ms: o.now,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('transfers')
        .select('transfers.id')
        .where('transfers.state', '=', 'pending')
        .where('transfers.destination', '=', o.destination)
        .where('transfers.next_attempt_at_ms', '<=', o.now)
        .where((t) => t.not(heldBackByEarlier(t)))
        .orderBy('transfers.next_attempt_at_ms')
        .limit(literalLimit(o.limit)),
    )
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

export type Finish =
  | { state: 'delivered' }
  | { state: 'pending'; nextAttemptAt: number; error: string; countAttempt: boolean }
  | { state: 'dead'; error: string };

/** Ends an attempt on a row this owner still holds; returns false when the lease was lost meanwhile. */
export async function finishTransfer(
  db: Db,
  id: number,
  owner: string,
  now: number,
  f: Finish,
): Promise<boolean> {
  const count = f.state === 'pending' ? (f.countAttempt ? 1 : 0) : 1;
  const result = await db
    .updateTable('transfers')
    .set((eb) => ({
      state: f.state,
      attempts: eb('attempts', '+', count),
      lease_owner: null,
      lease_until_ms: null,
      updated_at_ms: now,
      last_error: f.state === 'delivered' ? null : f.error,
      ...(f.state === 'pending' ? { next_attempt_at_ms: f.nextAttemptAt } : {}),
    }))
    .where('id', '=', id)
    .where('state', '=', 'in_flight')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The latest dossier sync queued before `seq` for a dossier (to resend when the portal lost it). */
export async function latestSyncBefore(db: Db, destination: string, dossierId: string, seq: number) {
  return db
    .selectFrom('transfers')
    .selectAll()
    .where('destination', '=', destination)
    .where('dossier_id', '=', dossierId)
    .where('kind', '=', 'dossier_sync')
    .where('seq', '<', seq)
    .orderBy('seq', 'desc')
    .limit(literalLimit(1))
    .executeTakeFirst();
}

/** One page of transfers in `state` (or blocked behind a dead letter) matching `filter`, by id after `after`. */
export async function selectTransferPage(
  db: Db,
  o: { state: TransferState | 'blocked'; filter: TransferFilter; after?: number | undefined; limit: number },
) {
  let query = db
    .selectFrom('transfers')
    .leftJoin('dossiers', 'dossiers.id', 'transfers.dossier_id')
    .select([
      'transfers.id',
      'transfers.destination',
      'transfers.kind',
      'transfers.dossier_id',
      'transfers.seq',
      'transfers.idempotency_key',
      'transfers.state',
      'transfers.attempts',
      'transfers.next_attempt_at_ms',
      'transfers.last_error',
      'transfers.created_at_ms',
      'transfers.updated_at_ms',
      'dossiers.code',
      'dossiers.agency_code',
    ])
    .select((eb) => behindDeadLetter(eb).as('blocked'));
  if (o.state === 'blocked') query = query.where((eb) => blockedBehindDeadLetter(eb));
  else query = query.where('transfers.state', '=', o.state);
  query = query.where((eb) => matchesFilter(eb, o.filter));
  if (o.after !== undefined) query = query.where('transfers.id', '>', o.after);
  return query.orderBy('transfers.id').limit(literalLimit(o.limit)).execute();
}

/** Ids of the dead transfers among `ids` (all of them when absent) that match `filter`. */
export async function selectDeadTransferIds(
  db: Db,
  o: { ids?: readonly number[] | undefined; filter: TransferFilter },
): Promise<number[]> {
  let query = db
    .selectFrom('transfers')
    .leftJoin('dossiers', 'dossiers.id', 'transfers.dossier_id')
    .select('transfers.id')
    .where('transfers.state', '=', 'dead');
  if (o.ids) query = query.where('transfers.id', 'in', o.ids.length > 0 ? o.ids : [-1]);
  query = query.where((eb) => matchesFilter(eb, o.filter));
  // In id order: the replay's log entry lists them, and a list in a stable order verifies the same.
  return (await query.orderBy('transfers.id').execute()).map((r) => r.id);
}

/** Ids per statement, under SQLite's limit on bound parameters. */
const REQUEUE_CHUNK = 500;

/** Dead transfers among `ids` are due again now, with their attempts reset (a replay). */
export async function requeueDeadTransfers(db: Db, ids: readonly number[], now: number): Promise<void> {
  for (let i = 0; i < ids.length; i += REQUEUE_CHUNK) {
    await db
      .updateTable('transfers')
      .set({ state: 'pending', attempts: 0, next_attempt_at_ms: now, updated_at_ms: now })
      .where('id', 'in', ids.slice(i, i + REQUEUE_CHUNK))
      .where('state', '=', 'dead')
      .execute();
  }
}

/** Per state still in the queue (pending, in flight, dead, held): how many, and the oldest's queueing time. */
export async function countQueuedByState(
  db: Db,
  destination: string,
): Promise<{ state: TransferState; n: number; oldest: number | null }[]> {
  return db
    .selectFrom('transfers')
    .select(['state', sql<number>`count(*)`.as('n'), sql<number | null>`min(created_at_ms)`.as('oldest')])
    .where('destination', '=', destination)
    .where('state', 'in', ['pending', 'in_flight', 'dead', 'held'])
    .groupBy('state')
    .execute();
}

/** How many of a destination's transfers are blocked behind a dead letter. */
export async function countBlocked(db: Db, destination: string): Promise<number> {
  const row = await db
    .selectFrom('transfers')
    .select(sql<number>`count(*)`.as('n'))
    .where('destination', '=', destination)
    .where((eb) => blockedBehindDeadLetter(eb))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
