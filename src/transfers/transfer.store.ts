/**
 * Transfer rows: queueing, holding and releasing, claiming with a lease, finishing an attempt, and the
 * operators' views. Claiming is one UPDATE … RETURNING statement, so two workers (threads or processes)
 * can never claim the same row, and only the head of each (destination, dossier) queue is claimable,
 * which keeps per-dossier order.
 */
import { sql } from 'kysely';
import type { Db } from '../store/store.js';
import type { NewTransfer, TransferRow } from '../store/tables.js';

/** The next sequence number of a (destination, dossier) queue. */
export async function nextTransferSeq(db: Db, destination: string, dossierId: string): Promise<number> {
  const last = await db
    .selectFrom('transfers')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('destination', '=', destination)
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
  return (last?.seq ?? 0) + 1;
}

/** Inserts one transfer row and returns its id. */
export async function insertTransfer(db: Db, row: NewTransfer): Promise<number> {
  const inserted = await db.insertInto('transfers').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Held transfers of a dossier become due now (its review kept it apart). Returns how many. */
export async function releaseHeldTransfers(db: Db, dossierId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('transfers')
    .set({ state: 'pending', next_attempt_at_ms: now, updated_at_ms: now })
    .where('dossier_id', '=', dossierId)
    .where('state', '=', 'held')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Held transfers of a dossier are cancelled with a reason (it was merged away). Returns how many. */
export async function cancelHeldTransfers(
  db: Db,
  dossierId: string,
  reason: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('transfers')
    .set({ state: 'cancelled', updated_at_ms: now, last_error: reason })
    .where('dossier_id', '=', dossierId)
    .where('state', '=', 'held')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** States that keep the transfers behind them waiting. */
const BLOCKING = "('pending','in_flight','dead','held')";

/** Claims up to `limit` queue heads that are due (or whose lease expired) for `owner`. */
export async function claimTransfers(
  db: Db,
  o: { destination: string; owner: string; now: number; leaseMs: number; limit: number },
): Promise<TransferRow[]> {
  // Claims whose lease ran out (a crashed or stalled worker) go back to the queue first.
  await db
    .updateTable('transfers')
    .set({ state: 'pending', lease_owner: null, lease_until_ms: null })
    .where('state', '=', 'in_flight')
    .where('destination', '=', o.destination)
    .where('lease_until_ms', '<', o.now)
    .execute();
  // One statement, so two workers never claim the same row; the (state, destination, next_attempt_at_ms)
  // index yields due rows in order without sorting the backlog.
  const result = await sql<TransferRow>`
    UPDATE transfers
       SET state = 'in_flight', lease_owner = ${o.owner}, lease_until_ms = ${o.now + o.leaseMs}, updated_at_ms = ${o.now}
     WHERE id IN (
       SELECT t.id FROM transfers t
        WHERE t.state = 'pending' AND t.destination = ${o.destination} AND t.next_attempt_at_ms <= ${o.now}
          AND NOT EXISTS (
            SELECT 1 FROM transfers p
             WHERE p.destination = t.destination AND p.dossier_id = t.dossier_id AND p.seq < t.seq
               AND p.state IN ${sql.raw(BLOCKING)})
        ORDER BY t.next_attempt_at_ms
        LIMIT ${o.limit})
    RETURNING *`.execute(db);
  return [...result.rows].sort((a, b) => a.id - b.id);
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
    .limit(1)
    .executeTakeFirst();
}
