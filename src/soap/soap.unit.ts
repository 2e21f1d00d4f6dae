/**
 * A SOAP write in one unit of work (group commit, as REST's `writeTransaction`), with the optional
 * `MessageID` header as its Idempotency-Key: the first answer is stored in the same transaction as the
 * work, a retry with the same message id gets it back, and the same id with another body is refused
 * (docs/soap.md, docs/api-errors.md).
 */
import type { Principal } from '../clients/client.js';
import type { Services } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { processGone } from '../idempotency/boot.js';
import { purgeSchedule } from '../idempotency/purge.js';
import { recordAnswer } from '../idempotency/record.js';
import { releaseKey } from '../idempotency/release.js';
import { reserveKey } from '../idempotency/reserve.js';
import { sha256Hex } from '../lib/crypto.js';
import { Validation } from '../lib/errors.js';
import type { Trx } from '../store/store.js';

const MESSAGE_ID = /^[\x21-\x7e]{1,255}$/;
/** SOAP message ids and REST Idempotency-Keys of one client never collide. */
const KEY_PREFIX = 'soap:';

const purge = purgeSchedule();

export interface SoapWrite {
  services: Services;
  principal: Principal;
  operation: string;
  /** The operation's parsed body: with the operation, what the message id must come with again. */
  body: unknown;
  messageId: string | undefined;
}

async function reserve(w: SoapWrite, key: string) {
  const { store, clock, config, boot } = w.services;
  const decision = await reserveKey(
    store,
    {
      clientId: w.principal.id,
      key,
      requestHash: sha256Hex(`SOAP ${w.operation}\n${JSON.stringify(w.body)}`),
      nowMs: clock.now(),
      ttlMs: config.idempotencyTtlMs,
      bootId: boot?.id,
      here: boot && { host: boot.host, gone: processGone },
    },
    purge,
  );
  if (decision.kind === 'mismatch') {
    throw new ApiError('idempotency_key_reused', 'this MessageID was already used with a different request', {
      extra: { field: 'Header.MessageID' },
    });
  }
  if (decision.kind === 'busy') {
    throw new ApiError('idempotency_in_progress', 'a request with this MessageID is still being processed');
  }
  return decision;
}

/** Runs `work` in one transaction; with a message id, stores or replays its answer. */
export async function soapWrite<T>(w: SoapWrite, work: (trx: Trx) => Promise<T>): Promise<T> {
  const { store } = w.services;
  if (w.messageId === undefined) return store.transaction(work);
  if (!MESSAGE_ID.test(w.messageId)) {
    throw new Validation([
      {
        path: 'Header.MessageID',
        rule: 'message_id_format',
        message: 'MessageID must be 1 to 255 visible ASCII characters',
      },
    ]);
  }
  const key = `${KEY_PREFIX}${w.messageId}`;
  const decision = await reserve(w, key);
  if (decision.kind === 'replay') return JSON.parse(decision.body) as T;
  let recorded = false;
  try {
    return await store.transaction(async (trx) => {
      const answer = await work(trx);
      await recordAnswer(trx, w.principal.id, key, 200, JSON.stringify(answer));
      recorded = true;
      return answer;
    });
  } catch (error) {
    recorded = false; // rolled back with the work
    throw error;
  } finally {
    if (!recorded) await releaseKey(store.db, w.principal.id, key);
  }
}
