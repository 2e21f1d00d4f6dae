/** The destination store's functions (circuit breaker rows), each on a real migrated SQLite file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimProbe,
  closeCircuit,
  ensureDestination,
  findDestination,
  recordDestinationFailure,
} from '../../src/transfers/destination.store.js';
import { closeTestStore, openTestStore, type TestStore } from './store-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const CLOSED = {
  name: 'portal',
  circuit: 'closed',
  consecutive_failures: 0,
  open_until_ms: null,
  probe_owner: null,
  probe_until_ms: null,
  last_success_ms: null,
  last_error: null,
  last_error_ms: null,
  alert: null,
};

describe('destination rows', () => {
  it('creates a closed row once and finds it; an unknown destination has none', async () => {
    expect(await findDestination(s.db, 'portal')).toBeUndefined();
    await ensureDestination(s.db, 'portal');
    expect(await findDestination(s.db, 'portal')).toEqual(CLOSED);
    await recordDestinationFailure(s.db, { name: 'portal', failures: 1, message: 'down', now: 5 });
    await ensureDestination(s.db, 'portal'); // keeps what is there
    expect(await findDestination(s.db, 'portal')).toMatchObject({ consecutive_failures: 1 });
    expect(await findDestination(s.db, 'other')).toBeUndefined();
  });

  it('records a failure, opening the circuit and raising an alert only when told', async () => {
    await ensureDestination(s.db, 'portal');
    await recordDestinationFailure(s.db, { name: 'portal', failures: 1, message: 'timeout', now: 10 });
    expect(await findDestination(s.db, 'portal')).toEqual({
      ...CLOSED,
      consecutive_failures: 1,
      last_error: 'timeout',
      last_error_ms: 10,
    });
    await recordDestinationFailure(s.db, {
      name: 'portal',
      failures: 2,
      message: 'HTTP_403 portal answered HTTP 403',
      now: 20,
      openUntil: 500,
      alert: 'HTTP_403 portal answered HTTP 403',
    });
    expect(await findDestination(s.db, 'portal')).toEqual({
      ...CLOSED,
      circuit: 'open',
      consecutive_failures: 2,
      open_until_ms: 500,
      last_error: 'HTTP_403 portal answered HTTP 403',
      last_error_ms: 20,
      alert: 'HTTP_403 portal answered HTTP 403',
    });
  });

  it('gives the probe of an open circuit to one worker, only after its cool-down', async () => {
    await ensureDestination(s.db, 'portal');
    await recordDestinationFailure(s.db, {
      name: 'portal',
      failures: 3,
      message: 'x',
      now: 0,
      openUntil: 100,
    });
    const probe = { name: 'portal', from: 'open' as const, owner: 'w1', now: 99, probeUntil: 199 };
    expect(await claimProbe(s.db, probe)).toBe(false); // still cooling down
    expect(await claimProbe(s.db, { ...probe, now: 100 })).toBe(true);
    expect(await findDestination(s.db, 'portal')).toMatchObject({
      circuit: 'half_open',
      probe_owner: 'w1',
      probe_until_ms: 199,
    });
    expect(await claimProbe(s.db, { ...probe, owner: 'w2', now: 150 })).toBe(false); // no longer open
  });

  it('hands a half-open probe to another worker only after the previous probe’s lease ended', async () => {
    await ensureDestination(s.db, 'portal');
    await recordDestinationFailure(s.db, {
      name: 'portal',
      failures: 3,
      message: 'x',
      now: 0,
      openUntil: 10,
    });
    await claimProbe(s.db, { name: 'portal', from: 'open', owner: 'w1', now: 10, probeUntil: 60 });
    const next = { name: 'portal', from: 'half_open' as const, owner: 'w2', now: 60, probeUntil: 110 };
    expect(await claimProbe(s.db, next)).toBe(false); // lease ends after 60
    expect(await claimProbe(s.db, { ...next, now: 61 })).toBe(true);
    expect(await findDestination(s.db, 'portal')).toMatchObject({ probe_owner: 'w2', probe_until_ms: 110 });
  });

  it('closes the circuit on success, clearing failures, probe and alert but keeping the last error', async () => {
    await ensureDestination(s.db, 'portal');
    await recordDestinationFailure(s.db, {
      name: 'portal',
      failures: 4,
      message: 'bad',
      now: 7,
      openUntil: 10,
      alert: 'bad',
    });
    await claimProbe(s.db, { name: 'portal', from: 'open', owner: 'w1', now: 10, probeUntil: 60 });
    await closeCircuit(s.db, 'portal', 42);
    expect(await findDestination(s.db, 'portal')).toEqual({
      ...CLOSED,
      last_success_ms: 42,
      last_error: 'bad',
      last_error_ms: 7,
    });
  });
});
