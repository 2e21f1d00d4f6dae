/**
 * Idempotency-Key on every POST, as HTTP. The first request with a key reserves it; its answer (status and
 * body) is stored in the same transaction as its work, so a retry gets exactly that answer back and
 * the work is never done twice. The same key with a different body is refused (422); a retry that
 * arrives while the first is still running gets 409. Keys are kept at least the configured TTL (≥ 24 h).
 * The decisions are the use cases of `src/idempotency/`; this module only translates them.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { processGone } from '../idempotency/boot.js';
import { purgeSchedule } from '../idempotency/purge.js';
import { recordAnswer } from '../idempotency/record.js';
import { releaseKey } from '../idempotency/release.js';
import { reserveKey } from '../idempotency/reserve.js';
import { sha256Hex } from '../lib/crypto.js';
import type { Trx } from '../store/store.js';
import type { AppEnv } from './context.js';
import { ApiError, validationError } from './errors.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Reserves the key before the handler runs, or answers from the stored response. */
export function idempotency(): MiddlewareHandler<AppEnv> {
  const purge = purgeSchedule();
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
    const { store, clock, config, boot } = c.get('services');
    const body = await c.req.text();
    const requestHash = sha256Hex(`${c.req.method} ${c.req.path}\n${body}`);
    const decision = await reserveKey(
      store,
      {
        clientId: principal.id,
        key,
        requestHash,
        nowMs: clock.now(),
        ttlMs: config.idempotencyTtlMs,
        bootId: boot?.id,
        here: boot && { host: boot.host, gone: processGone },
      },
      purge,
    );
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
      // No answer was stored (an error, or a handler that wrote nothing): free the key for a retry.
      if (!reservation.recorded) await releaseKey(store.db, reservation.clientId, reservation.key);
    }
  };
}

/** Stores the answer for the request's key inside the transaction that did the work. */
export async function recordIdempotentAnswer(
  c: Context<AppEnv>,
  trx: Trx,
  status: number,
  body: string,
): Promise<void> {
  const reservation = c.get('idempotency');
  if (!reservation) return;
  await recordAnswer(trx, reservation.clientId, reservation.key, status, body);
  reservation.recorded = true;
}

/**
 * Runs a write in one transaction and, when the request carries an Idempotency-Key, stores the answer
 * in that same transaction. Every POST handler goes through here.
 */
export async function writeTransaction<S extends number, B>(
  c: Context<AppEnv>,
  work: (trx: Trx) => Promise<{ status: S; body: B }>,
  options: {
    /**
     * What a retry with the same key is answered with, when it must differ from the first answer:
     * an answer that carries a secret (a new API key) is never stored, only this (docs/api-errors.md).
     */
    replayBody?: (body: B) => unknown;
  } = {},
): Promise<{ status: S; body: B }> {
  const reservation = c.get('idempotency');
  try {
    return await c.get('services').store.transaction(async (trx) => {
      const result = await work(trx);
      // c.json() serialises the same object the same way, so a replay is byte-identical. Without a
      // key there is nothing to store, and the body is not serialised twice.
      if (reservation) {
        const stored = options.replayBody ? options.replayBody(result.body) : result.body;
        await recordIdempotentAnswer(c, trx, result.status, JSON.stringify(stored));
      }
      return result;
    });
  } catch (error) {
    if (reservation) reservation.recorded = false; // rolled back with the work
    throw error;
  }
}
