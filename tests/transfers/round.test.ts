/** A delivery round's own state: results and time spent per transfer, never shared between rounds. */
import { describe, expect, it } from 'vitest';
import type { TransferRow } from '../../src/store/tables.js';
import { type Item, Round } from '../../src/transfers/round.js';

const row = (id: number, attempts = 0): TransferRow => ({
  id,
  destination: 'portal',
  kind: 'dossier_sync',
  dossier_id: `d${id}`,
  seq: 1,
  idempotency_key: `portal:d${id}:1`,
  payload: '{}',
  state: 'in_flight',
  attempts,
  next_attempt_at_ms: 0,
  lease_owner: 'w',
  lease_until_ms: 10,
  last_error: null,
  created_at_ms: 0,
  updated_at_ms: 0,
});
const item = (id: number, attempts = 0): Item => ({ row: row(id, attempts), code: `C${id}`, wire: {} });
const retry = { baseMs: 10, capMs: 100, maxAttempts: 3, maxAgeMs: 1_000 };

describe('Round', () => {
  it('adds up the time of every call per transfer, apart from other rounds', () => {
    const a = new Round();
    const b = new Round();
    a.spend([item(1), item(2)], 5);
    a.spend([item(1)], 7);
    b.spend([item(1)], 100);
    expect([...a.spent]).toEqual([
      [1, 12],
      [2, 5],
    ]);
    const side = a.scratch();
    side.spend([item(3)], 4);
    side.delivered([item(3)], 'inserted');
    expect(a.spent.get(3)).toBe(4); // the side round's calls count toward this round's time
    expect(a.results.has(3)).toBe(false); // but its results are not this round's
  });

  it('reschedules a failed batch, or dead-letters what ran out of attempts, and releases the unattempted', () => {
    const r = new Round();
    r.failAll(
      [item(1, 0), item(2, 2)],
      { kind: 'outage', status: 503, message: 'down', retryAfterMs: 50 },
      {
        retry,
        now: 100,
      },
    );
    expect(r.results.get(1)).toEqual({
      finish: { state: 'pending', nextAttemptAt: 150, error: 'down', countAttempt: true },
      outcome: 'retry',
      detail: 'down',
      httpStatus: 503,
    });
    expect(r.results.get(2)?.finish).toEqual({ state: 'dead', error: 'gave up after 3 attempts: down' });
    r.failAll(
      [item(3)],
      { kind: 'config_fault', errorCode: 'HTTP_403', message: 'forbidden' },
      { retry, now: 100 },
    );
    expect(r.results.get(3)).toMatchObject({
      finish: { state: 'pending', nextAttemptAt: 100, countAttempt: false },
      outcome: 'config_fault',
      errorCode: 'HTTP_403',
    });
    expect(r.resultOf(row(4), 300)).toEqual({
      finish: { state: 'pending', nextAttemptAt: 300, error: 'not attempted', countAttempt: false },
      outcome: 'released',
      detail: 'not attempted in this round',
    });
  });
});
