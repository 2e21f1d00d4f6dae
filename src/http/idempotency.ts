/**
 * Idempotency-Key on every POST. The first request with a key reserves it; its answer (status and
 * body) is stored in the same transaction as its work, so a retry gets exactly that answer back and
 * the work is never done twice. The same key with a different body is refused (422); a retry that
 * arrives while the first is still running gets 409. Keys are kept at least the configured TTL (≥ 24 h).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Transaction } from 'kysely';
import { sha256Hex } from '../lib/crypto.js';
import type { Database } from '../store/tables.js';
import type { AppEnv } from './context.js';
import { ApiError, validationError } from './errors.js';

const LOCK_MS = 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const PURGE_EVERY_MS = 60_000;

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Reserves the key before the handler runs, or answers from the stored response. */
export function idempotency(): MiddlewareHandler<AppEnv> {
  let lastPurge = 0;
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    const principal = c.get('principal');
    if (c.req.method !== 'POST' || key === undefined || !principal) return next();
    if (!KEY_PATTERN.test(key)) {
      throw validationError([
        {
          path: `header.${IDEMPOTENCY_HEADER}`,
          rule: 'idempotency_key_format',
          message: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
        },
      ]);
    }
    const { store, clock, config } = c.get('services');
    const body = await c.req.text();
    const hash = sha256Hex(`${c.req.method} ${c.req.path}\n${body}`);
    const now = clock.now();
    const cutoff = now - config.idempotencyTtlMs;
    const decision = await store.transaction(async (trx) => {
      if (now - lastPurge > PURGE_EVERY_MS) {
        lastPurge = now;
        await trx.deleteFrom('idempotency_keys').where('created_at_ms', '<', cutoff).execute();
      }
      const row = await trx
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('client_id', '=', principal.id)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row || row.created_at_ms < cutoff) {
        await trx
          .insertInto('idempotency_keys')
          .values({
            client_id: principal.id,
            key,
            request_hash: hash,
            state: 'in_progress',
            response_status: null,
            response_body: null,
            created_at_ms: now,
            locked_until_ms: now + LOCK_MS,
          })
          .onConflict((oc) =>
            oc.columns(['client_id', 'key']).doUpdateSet({
              request_hash: hash,
              state: 'in_progress',
              response_status: null,
              response_body: null,
              created_at_ms: now,
              locked_until_ms: now + LOCK_MS,
            }),
          )
          .execute();
        return { kind: 'proceed' as const };
      }
      if (row.request_hash !== hash) return { kind: 'mismatch' as const };
      if (row.state === 'completed' && row.response_status !== null && row.response_body !== null) {
        return { kind: 'replay' as const, status: row.response_status, body: row.response_body };
      }
      if (row.locked_until_ms > now) return { kind: 'busy' as const };
      // The first attempt died without an answer: this retry takes the key over.
      await trx
        .updateTable('idempotency_keys')
        .set({ locked_until_ms: now + LOCK_MS })
        .where('client_id', '=', principal.id)
        .where('key', '=', key)
        .execute();
      return { kind: 'proceed' as const };
    });
    if (decision.kind === 'mismatch') {
      throw new ApiError(
        'idempotency_key_reused',
        'this Idempotency-Key was already used with a different request body',
        {
          extra: { field: `header.${IDEMPOTENCY_HEADER}` },
        },
      );
    }
    if (decision.kind === 'busy') {
      throw new ApiError(
        'idempotency_in_progress',
        'a request with this Idempotency-Key is still being processed; retry later',
      );
    }
    if (decision.kind === 'replay') {
      return c.body(decision.body, decision.status as 200, {
        'Content-Type': 'application/json',
        'Idempotent-Replayed': 'true',
      });
    }
    const reservation = { clientId: principal.id, key, recorded: false };
    c.set('idempotency', reservation);
    try {
      await next();
    } finally {
      if (!reservation.recorded) {
        // No answer was stored (an error, or a handler that wrote nothing): free the key for a retry.
        await store.db
          .deleteFrom('idempotency_keys')
          .where('client_id', '=', reservation.clientId)
          .where('key', '=', reservation.key)
          .where('state', '=', 'in_progress')
          .execute();
      }
    }
  };
}

/** Stores the answer for the request's key inside the transaction that did the work. */
export async function recordIdempotentAnswer(
  c: Context<AppEnv>,
  trx: Transaction<Database>,
  status: number,
  body: string,
): Promise<void> {
  const reservation = c.get('idempotency');
  if (!reservation) return;
  await trx
    .updateTable('idempotency_keys')
    .set({ state: 'completed', response_status: status, response_body: body })
    .where('client_id', '=', reservation.clientId)
    .where('key', '=', reservation.key)
    .execute();
  reservation.recorded = true;
}

/**
 * Runs a write in one transaction and, when the request carries an Idempotency-Key, stores the answer
 * in that same transaction. Every POST handler goes through here.
 */
export async function writeTransaction<S extends number, B>(
  c: Context<AppEnv>,
  work: (trx: Transaction<Database>) => Promise<{ status: S; body: B }>,
): Promise<{ status: S; body: B }> {
  const reservation = c.get('idempotency');
  try {
    return await c.get('services').store.transaction(async (trx) => {
      const result = await work(trx);
      // c.json() serialises the same object the same way, so a replay is byte-identical.
      await recordIdempotentAnswer(c, trx, result.status, JSON.stringify(result.body));
      return result;
    });
  } catch (error) {
    if (reservation) reservation.recorded = false; // rolled back with the work
    throw error;
  }
}
