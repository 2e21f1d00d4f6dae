/**
 * The transactional outbox: what each accepted change must send out, written in the same transaction
 * as the change itself. A later worker delivers the rows; here they are only queued, in order per
 * destination and dossier (`seq`), each with a stable idempotency key the receiver can dedupe on.
 */
import type { Trx } from '../store/store.js';
import {
  cancelHeldTransfers,
  insertTransfer,
  nextTransferSeq,
  releaseHeldTransfers,
} from './transfer.store.js';

export const DESTINATIONS = ['portal', 'sms'] as const;
/** A registered departmental system's name (docs/departments.md), its own outbox destination. */
export type DepartmentDestination = string & { readonly department: true };
export type Destination = (typeof DESTINATIONS)[number] | DepartmentDestination;
export type TransferKind = 'dossier_sync' | 'progress' | 'notice';

export interface TransferRequest {
  destination: Destination;
  kind: TransferKind;
  dossierId: string;
  /** Frozen at enqueue time, so a resend repeats exactly what was meant. */
  payload: unknown;
  /** Held back (dossier awaiting a dedup review) until released or cancelled. */
  held?: boolean;
  /** Not due before this instant (an SMS notice queued in quiet hours); default: at once. */
  dueAtMs?: number;
}

/**
 * The port every transfer state change made by a use case goes through: queue, release what a review
 * held back, cancel what a merge made pointless. The real one writes rows; tests may inject failures.
 */
export interface Outbox {
  /** Queues a transfer at the end of its (destination, dossier) queue; returns its id. */
  enqueue(trx: Trx, request: TransferRequest, nowMs: number): Promise<number>;
  /** Held transfers of a dossier become due now. */
  release(trx: Trx, dossierId: string, nowMs: number): Promise<number>;
  /** Held transfers of a dossier will never be sent; `reason` is kept as their last error. */
  cancel(trx: Trx, dossierId: string, reason: string, nowMs: number): Promise<number>;
}

/** Writes transfers to the `transfers` table with the next sequence number for (destination, dossier). */
export const sqlOutbox: Outbox = {
  async enqueue(trx, request, nowMs) {
    const seq = await nextTransferSeq(trx, request.destination, request.dossierId);
    return insertTransfer(trx, {
      destination: request.destination,
      kind: request.kind,
      dossier_id: request.dossierId,
      seq,
      idempotency_key: `${request.destination}:${request.dossierId}:${seq}`,
      payload: JSON.stringify(request.payload),
      state: request.held ? 'held' : 'pending',
      attempts: 0,
      next_attempt_at_ms: Math.max(nowMs, request.dueAtMs ?? nowMs),
      lease_owner: null,
      lease_until_ms: null,
      last_error: null,
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    });
  },
  release: (trx, dossierId, nowMs) => releaseHeldTransfers(trx, dossierId, nowMs),
  cancel: (trx, dossierId, reason, nowMs) => cancelHeldTransfers(trx, dossierId, reason, nowMs),
};
