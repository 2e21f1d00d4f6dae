/**
 * The transactional outbox: what each accepted change must send out, written in the same transaction
 * as the change itself. A later worker delivers the rows; here they are only queued, in order per
 * destination and dossier (`seq`), each with a stable idempotency key the receiver can dedupe on.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';

export const DESTINATIONS = ['portal'] as const;
export type Destination = (typeof DESTINATIONS)[number];
export type TransferKind = 'dossier_sync' | 'progress';

export interface TransferRequest {
  destination: Destination;
  kind: TransferKind;
  dossierId: string;
  /** Frozen at enqueue time, so a resend repeats exactly what was meant. */
  payload: unknown;
  /** Held back (dossier awaiting a dedup review) until released or cancelled. */
  held?: boolean;
}

/** The port intake uses to queue transfers; the real one writes rows, tests may inject failures. */
export interface Outbox {
  enqueue(trx: Transaction<Database>, request: TransferRequest, nowMs: number): Promise<number>;
}

/** Writes transfers to the `transfers` table with the next sequence number for (destination, dossier). */
export const sqlOutbox: Outbox = {
  async enqueue(trx, request, nowMs) {
    const last = await trx
      .selectFrom('transfers')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('destination', '=', request.destination)
      .where('dossier_id', '=', request.dossierId)
      .executeTakeFirst();
    const seq = (last?.seq ?? 0) + 1;
    const row = await trx
      .insertInto('transfers')
      .values({
        destination: request.destination,
        kind: request.kind,
        dossier_id: request.dossierId,
        seq,
        idempotency_key: `${request.destination}:${request.dossierId}:${seq}`,
        payload: JSON.stringify(request.payload),
        state: request.held ? 'held' : 'pending',
        attempts: 0,
        next_attempt_at_ms: nowMs,
        lease_owner: null,
        lease_until_ms: null,
        last_error: null,
        created_at_ms: nowMs,
        updated_at_ms: nowMs,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },
};
