/** The transfer store's functions, each on a real migrated SQLite file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cancelHeldTransfers,
  claimQueueHeads,
  claimTransfers,
  countBlocked,
  countQueuedByState,
  finishTransfer,
  insertTransfer,
  latestSyncBefore,
  nextTransferSeq,
  releaseHeldTransfers,
  requeueDeadTransfers,
  requeueExpiredLeases,
  selectDeadTransferIds,
  selectTransferPage,
} from '../../src/transfers/transfer.store.js';
import {
  addDossier,
  addTransfer,
  closeTestStore,
  openTestStore,
  resetSeqs,
  stateOf,
  type TestStore,
} from './store-fixture.js';

let s: TestStore;
beforeEach(async () => {
  resetSeqs();
  s = await openTestStore();
  for (const id of ['d1', 'd2', 'd3']) addDossier(s, id);
  addDossier(s, 'x1', '000.00.16.H24');
});
afterEach(async () => {
  await closeTestStore(s);
});

const claim = { destination: 'portal', owner: 'w1', now: 1_000, leaseMs: 500, limit: 50 };

describe('queueing', () => {
  it('numbers each (destination, dossier) queue from 1, and inserts rows', async () => {
    expect(await nextTransferSeq(s.db, 'portal', 'd1')).toBe(1);
    const id = await insertTransfer(s.db, {
      destination: 'portal',
      kind: 'progress',
      dossier_id: 'd1',
      seq: 1,
      idempotency_key: 'portal:d1:1',
      payload: '{"a":1}',
      state: 'held',
      attempts: 0,
      next_attempt_at_ms: 5,
      created_at_ms: 5,
      updated_at_ms: 5,
    });
    expect(id).toBeGreaterThan(0);
    expect(await nextTransferSeq(s.db, 'portal', 'd1')).toBe(2);
    expect(await nextTransferSeq(s.db, 'portal', 'd2')).toBe(1);
    expect(await nextTransferSeq(s.db, 'other', 'd1')).toBe(1);
    expect(stateOf(s, id)).toEqual({ state: 'held', attempts: 0 });
  });

  it('releases a dossier’s held transfers as due now, and cancels them with a reason', async () => {
    const a = await addTransfer(s, 'd1', { state: 'held' });
    const b = await addTransfer(s, 'd1', { state: 'held' });
    const other = await addTransfer(s, 'd2', { state: 'held' });
    const dead = await addTransfer(s, 'd1', { state: 'dead' });
    expect(await releaseHeldTransfers(s.db, 'd1', 777)).toBe(2);
    const rows = s.sqlite.prepare('SELECT id, state, next_attempt_at_ms FROM transfers ORDER BY id').all();
    expect(rows).toEqual([
      { id: a, state: 'pending', next_attempt_at_ms: 777 },
      { id: b, state: 'pending', next_attempt_at_ms: 777 },
      { id: other, state: 'held', next_attempt_at_ms: 0 },
      { id: dead, state: 'dead', next_attempt_at_ms: 0 },
    ]);
    expect(await cancelHeldTransfers(s.db, 'd2', 'merged into d1', 800)).toBe(1);
    expect(await cancelHeldTransfers(s.db, 'd2', 'again', 900)).toBe(0);
    expect(s.sqlite.prepare('SELECT state, last_error FROM transfers WHERE id = ?').get(other)).toEqual({
      state: 'cancelled',
      last_error: 'merged into d1',
    });
  });
});

describe('claiming: an earlier transfer holds this one back', () => {
  it('claims only queue heads, for every earlier state that holds back', async () => {
    const heads: number[] = [];
    for (const [i, earlier] of (['pending', 'in_flight', 'dead', 'held'] as const).entries()) {
      const dossier = `q${i}`;
      addDossier(s, dossier);
      const first = await addTransfer(s, dossier, {
        state: earlier,
        lease_owner: earlier === 'in_flight' ? 'w0' : null,
        lease_until_ms: earlier === 'in_flight' ? 10_000 : null,
      });
      await addTransfer(s, dossier); // held back by `first`
      if (earlier === 'pending') heads.push(first);
    }
    for (const [i, earlier] of (['delivered', 'cancelled'] as const).entries()) {
      const dossier = `r${i}`;
      addDossier(s, dossier);
      await addTransfer(s, dossier, { state: earlier });
      heads.push(await addTransfer(s, dossier)); // nothing holds it back
    }
    const claimed = await claimTransfers(s.db, claim);
    expect(claimed.map((r) => r.id)).toEqual(heads);
    expect(claimed.every((r) => r.state === 'in_flight' && r.lease_owner === 'w1')).toBe(true);
    expect(claimed.every((r) => r.lease_until_ms === 1_500 && r.updated_at_ms === 1_000)).toBe(true);
  });

  it('keeps queues of other dossiers and destinations apart', async () => {
    await addTransfer(s, 'd1', { state: 'dead' });
    const d2 = await addTransfer(s, 'd2');
    const other = await addTransfer(s, 'd1', { destination: 'elsewhere' });
    expect((await claimTransfers(s.db, claim)).map((r) => r.id)).toEqual([d2]);
    expect((await claimTransfers(s.db, { ...claim, destination: 'elsewhere' })).map((r) => r.id)).toEqual([
      other,
    ]);
  });

  it('takes only due rows, the earliest due first up to the limit, returned by id', async () => {
    const late = await addTransfer(s, 'd1', { next_attempt_at_ms: 900 });
    const early = await addTransfer(s, 'd2', { next_attempt_at_ms: 100 });
    await addTransfer(s, 'd3', { next_attempt_at_ms: 1_001 }); // not due yet
    const mid = await addTransfer(s, 'x1', { next_attempt_at_ms: 500 });
    expect((await claimQueueHeads(s.db, { ...claim, limit: 2 })).map((r) => r.id)).toEqual([early, mid]);
    expect((await claimQueueHeads(s.db, claim)).map((r) => r.id)).toEqual([late]);
    expect(await claimQueueHeads(s.db, claim)).toEqual([]);
  });

  it('never claims a row leased to someone else until its lease ran out', async () => {
    const id = await addTransfer(s, 'd1');
    expect(await claimTransfers(s.db, claim)).toHaveLength(1);
    expect(await claimTransfers(s.db, { ...claim, owner: 'w2', now: 1_400 })).toHaveLength(0);
    await requeueExpiredLeases(s.db, 'portal', 1_500); // lease_until 1500 is not before 1500
    expect(stateOf(s, id).state).toBe('in_flight');
    const again = await claimTransfers(s.db, { ...claim, owner: 'w2', now: 1_501 });
    expect(again.map((r) => [r.id, r.lease_owner])).toEqual([[id, 'w2']]);
  });

  it('puts expired leases of its destination back as pending without an owner', async () => {
    const expired = await addTransfer(s, 'd1', { state: 'in_flight', lease_owner: 'w0', lease_until_ms: 10 });
    const live = await addTransfer(s, 'd2', { state: 'in_flight', lease_owner: 'w0', lease_until_ms: 5_000 });
    const elsewhere = await addTransfer(s, 'd3', {
      destination: 'elsewhere',
      state: 'in_flight',
      lease_owner: 'w0',
      lease_until_ms: 10,
    });
    await requeueExpiredLeases(s.db, 'portal', 1_000);
    const row = (id: number) =>
      s.sqlite.prepare('SELECT state, lease_owner, lease_until_ms FROM transfers WHERE id = ?').get(id);
    expect(row(expired)).toEqual({ state: 'pending', lease_owner: null, lease_until_ms: null });
    expect(row(live)).toEqual({ state: 'in_flight', lease_owner: 'w0', lease_until_ms: 5_000 });
    expect(row(elsewhere)).toEqual({ state: 'in_flight', lease_owner: 'w0', lease_until_ms: 10 });
  });
});

describe('finishing an attempt', () => {
  it('writes the outcome only while the owner still holds the lease, counting the attempt as told', async () => {
    const id = await addTransfer(s, 'd1', { attempts: 2 });
    await claimTransfers(s.db, claim);
    expect(await finishTransfer(s.db, id, 'w2', 1_100, { state: 'delivered' })).toBe(false);
    expect(
      await finishTransfer(s.db, id, 'w1', 1_100, {
        state: 'pending',
        nextAttemptAt: 2_000,
        error: 'config',
        countAttempt: false,
      }),
    ).toBe(true);
    const row = () =>
      s.sqlite
        .prepare(
          'SELECT state, attempts, lease_owner, next_attempt_at_ms, last_error, updated_at_ms FROM transfers WHERE id = ?',
        )
        .get(id);
    expect(row()).toMatchObject({
      state: 'pending',
      attempts: 2,
      lease_owner: null,
      next_attempt_at_ms: 2_000,
    });
    expect(await finishTransfer(s.db, id, 'w1', 1_100, { state: 'delivered' })).toBe(false); // not in flight
    await claimTransfers(s.db, { ...claim, now: 2_000 });
    await finishTransfer(s.db, id, 'w1', 2_100, {
      state: 'pending',
      nextAttemptAt: 3_000,
      error: 'outage',
      countAttempt: true,
    });
    expect(row()).toMatchObject({ attempts: 3, last_error: 'outage' });
    await claimTransfers(s.db, { ...claim, now: 3_000 });
    await finishTransfer(s.db, id, 'w1', 3_100, { state: 'dead', error: 'gave up' });
    expect(row()).toMatchObject({ state: 'dead', attempts: 4, last_error: 'gave up', updated_at_ms: 3_100 });
  });

  it('finds the latest dossier sync queued before a sequence number', async () => {
    await addTransfer(s, 'd1', { state: 'delivered' });
    const second = await addTransfer(s, 'd1', { state: 'delivered' });
    await addTransfer(s, 'd1', { kind: 'progress', state: 'delivered' });
    await addTransfer(s, 'd1', { kind: 'progress' }); // seq 4
    await addTransfer(s, 'd1'); // seq 5: after
    expect((await latestSyncBefore(s.db, 'portal', 'd1', 4))?.id).toBe(second);
    expect(await latestSyncBefore(s.db, 'portal', 'd1', 1)).toBeUndefined();
    expect(await latestSyncBefore(s.db, 'elsewhere', 'd1', 4)).toBeUndefined();
  });
});

describe('operators: list, replay, health counts', () => {
  it('lists a state by id, with the behind-a-dead-letter flag, and pages with after/limit', async () => {
    const dead1 = await addTransfer(s, 'd1', { state: 'dead' });
    const dead2 = await addTransfer(s, 'd1', { state: 'dead' }); // behind dead1
    const waiting = await addTransfer(s, 'd1'); // pending behind both: blocked
    const free = await addTransfer(s, 'd2');
    const dead = await selectTransferPage(s.db, { state: 'dead', filter: {}, limit: 10 });
    expect(dead.map((r) => [r.id, Boolean(r.blocked)])).toEqual([
      [dead1, false],
      [dead2, true],
    ]);
    expect(dead[0]).toMatchObject({ code: 'C-d1', agency_code: '000.00.15.H24', dossier_id: 'd1', seq: 1 });
    const pending = await selectTransferPage(s.db, { state: 'pending', filter: {}, limit: 10 });
    expect(pending.map((r) => [r.id, Boolean(r.blocked)])).toEqual([
      [waiting, true],
      [free, false],
    ]);
    const blocked = await selectTransferPage(s.db, { state: 'blocked', filter: {}, limit: 10 });
    expect(blocked.map((r) => r.id)).toEqual([waiting]);
    expect(
      (await selectTransferPage(s.db, { state: 'pending', filter: {}, limit: 1 })).map((r) => r.id),
    ).toEqual([waiting]);
    const next = await selectTransferPage(s.db, { state: 'pending', filter: {}, after: waiting, limit: 1 });
    expect(next.map((r) => r.id)).toEqual([free]);
  });

  it('does not count a pending transfer behind a held or in-flight one as blocked', async () => {
    await addTransfer(s, 'd1', { state: 'held' });
    await addTransfer(s, 'd1');
    await addTransfer(s, 'd2', { state: 'in_flight' });
    await addTransfer(s, 'd2');
    expect(await selectTransferPage(s.db, { state: 'blocked', filter: {}, limit: 10 })).toEqual([]);
    expect(await countBlocked(s.db, 'portal')).toBe(0);
  });

  it('filters by destination, agency, dossier and queueing time, the same in the list and the replay', async () => {
    const a = await addTransfer(s, 'd1', { state: 'dead', created_at_ms: 100 });
    const b = await addTransfer(s, 'd2', { state: 'dead', created_at_ms: 200 });
    const c = await addTransfer(s, 'x1', { state: 'dead', created_at_ms: 300 });
    const d = await addTransfer(s, 'd3', { state: 'dead', created_at_ms: 400, destination: 'elsewhere' });
    const cases: [Parameters<typeof selectDeadTransferIds>[1]['filter'], number[]][] = [
      [{}, [a, b, c, d]],
      [{ destination: 'portal' }, [a, b, c]],
      [{ agency: '000.00.16.H24' }, [c]],
      [{ dossierId: 'd2' }, [b]],
      [{ fromMs: 200 }, [b, c, d]],
      [{ toMs: 300 }, [a, b]],
      [{ fromMs: 200, toMs: 400, agency: '000.00.15.H24' }, [b]],
    ];
    for (const [filter, ids] of cases) {
      const listed = await selectTransferPage(s.db, { state: 'dead', filter, limit: 10 });
      expect(
        listed.map((r) => r.id),
        JSON.stringify(filter),
      ).toEqual(ids);
      expect(await selectDeadTransferIds(s.db, { filter }), JSON.stringify(filter)).toEqual(ids);
    }
  });

  it('chooses dead transfers by ids (an empty list chooses none), and replays only dead ones', async () => {
    const dead = await addTransfer(s, 'd1', { state: 'dead', attempts: 7, next_attempt_at_ms: 1 });
    const alive = await addTransfer(s, 'd2', { state: 'pending', attempts: 3 });
    const other = await addTransfer(s, 'd3', { state: 'dead', attempts: 2 });
    expect(await selectDeadTransferIds(s.db, { ids: [dead, alive], filter: {} })).toEqual([dead]);
    expect(await selectDeadTransferIds(s.db, { ids: [], filter: {} })).toEqual([]);
    await requeueDeadTransfers(s.db, [dead, alive], 5_000);
    expect(
      s.sqlite
        .prepare('SELECT state, attempts, next_attempt_at_ms, updated_at_ms FROM transfers WHERE id = ?')
        .get(dead),
    ).toEqual({ state: 'pending', attempts: 0, next_attempt_at_ms: 5_000, updated_at_ms: 5_000 });
    expect(stateOf(s, alive)).toEqual({ state: 'pending', attempts: 3 });
    expect(stateOf(s, other)).toEqual({ state: 'dead', attempts: 2 });
  });

  it('replays more ids than one statement may bind', async () => {
    s.sqlite.exec('BEGIN');
    const insert = s.sqlite.prepare(
      `INSERT INTO transfers (destination, kind, dossier_id, seq, idempotency_key, payload, state, attempts,
         next_attempt_at_ms, created_at_ms, updated_at_ms) VALUES ('portal', 'progress', 'd1', ?, ?, '{}', 'dead', 1, 0, 0, 0)`,
    );
    for (let i = 1; i <= 1_203; i++) insert.run(i, `k${i}`);
    s.sqlite.exec('COMMIT');
    const ids = await selectDeadTransferIds(s.db, { filter: {} });
    expect(ids).toHaveLength(1_203);
    await requeueDeadTransfers(s.db, ids, 9);
    expect(s.sqlite.prepare("SELECT count(*) AS n FROM transfers WHERE state = 'pending'").get()).toEqual({
      n: 1_203,
    });
  });

  it('counts queued transfers per state with the oldest, and the blocked ones, per destination', async () => {
    await addTransfer(s, 'd1', { state: 'dead', created_at_ms: 50 });
    await addTransfer(s, 'd1', { created_at_ms: 300 }); // blocked
    await addTransfer(s, 'd1', { created_at_ms: 310 }); // blocked too
    await addTransfer(s, 'd2', { state: 'in_flight', created_at_ms: 200 });
    await addTransfer(s, 'd3', { state: 'held', created_at_ms: 400 });
    await addTransfer(s, 'x1', { state: 'delivered', created_at_ms: 10 });
    await addTransfer(s, 'x1', { state: 'pending', created_at_ms: 5, destination: 'elsewhere' });
    const counts = await countQueuedByState(s.db, 'portal');
    expect([...counts].sort((x, y) => x.state.localeCompare(y.state))).toEqual([
      { state: 'dead', n: 1, oldest: 50 },
      { state: 'held', n: 1, oldest: 400 },
      { state: 'in_flight', n: 1, oldest: 200 },
      { state: 'pending', n: 2, oldest: 300 },
    ]);
    expect(await countBlocked(s.db, 'portal')).toBe(2);
    expect(await countBlocked(s.db, 'elsewhere')).toBe(0);
  });
});
