/** The Idempotency-Key use cases on a real SQLite file: reserve, replay, mismatch, busy, take over, purge. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOOT_STALE_MS, registerBoot } from '../../src/idempotency/boot.js';
import { deleteBoot, putBoot } from '../../src/idempotency/boot.store.js';
import { findKey, upsertReservedKey } from '../../src/idempotency/idempotency.store.js';
import { PURGE_EVERY_MS, purgeSchedule } from '../../src/idempotency/purge.js';
import { recordAnswer } from '../../src/idempotency/record.js';
import { releaseKey } from '../../src/idempotency/release.js';
import { type KeyRequest, LOCK_MS, reserveKey } from '../../src/idempotency/reserve.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path, { groupCommit: false });
const db = store.db;
const TTL = 24 * 3600_000;
const T0 = 1_800_000_000_000;
const keyCount = () => store.sqlite.prepare('SELECT count(*) FROM idempotency_keys').pluck().get() as number;

beforeAll(async () => {
  await migrateToLatest(db);
});
beforeEach(() => {
  store.sqlite.exec('DELETE FROM idempotency_keys');
  store.sqlite.exec('DELETE FROM boots');
});
afterAll(async () => {
  await store.close();
  removeTempDb(path);
});

const request = (over: Partial<KeyRequest> = {}): KeyRequest => ({
  clientId: 'c1',
  key: 'k1',
  requestHash: 'hash-a',
  nowMs: T0,
  ttlMs: TTL,
  ...over,
});

describe('reserving an Idempotency-Key', () => {
  it('reserves a new key for LOCK_MS and lets the request proceed', async () => {
    expect(await reserveKey(store, request())).toEqual({ kind: 'proceed' });
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({
      state: 'in_progress',
      requestHash: 'hash-a',
      createdAtMs: T0,
      lockedUntilMs: T0 + LOCK_MS,
    });
  });

  it('answers busy while the first request holds the lock, for the same request only', async () => {
    await reserveKey(store, request());
    expect(await reserveKey(store, request({ nowMs: T0 + LOCK_MS - 1 }))).toEqual({ kind: 'busy' });
    expect(await reserveKey(store, request({ requestHash: 'hash-b' }))).toEqual({ kind: 'mismatch' });
  });

  it('replays the recorded answer, and refuses the key with another request', async () => {
    await reserveKey(store, request());
    await recordAnswer(db, 'c1', 'k1', 201, '{"id":"x"}');
    expect(await reserveKey(store, request({ nowMs: T0 + 5 }))).toEqual({
      kind: 'replay',
      status: 201,
      body: '{"id":"x"}',
    });
    expect(await reserveKey(store, request({ requestHash: 'hash-b' }))).toEqual({ kind: 'mismatch' });
  });

  it('lets a retry take over a key whose request died unanswered, moving the lock', async () => {
    await reserveKey(store, request());
    const later = T0 + LOCK_MS;
    expect(await reserveKey(store, request({ nowMs: later }))).toEqual({ kind: 'proceed' });
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({ createdAtMs: T0, lockedUntilMs: later + LOCK_MS });
  });

  it('reserves an expired key anew, whatever it held', async () => {
    await reserveKey(store, request());
    await recordAnswer(db, 'c1', 'k1', 201, '{}');
    const later = T0 + TTL + 1;
    expect(await reserveKey(store, request({ nowMs: later, requestHash: 'hash-b' }))).toEqual({
      kind: 'proceed',
    });
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({
      state: 'in_progress',
      requestHash: 'hash-b',
      responseBody: null,
      createdAtMs: later,
    });
  });

  it('keeps keys apart per client', async () => {
    await reserveKey(store, request());
    expect(await reserveKey(store, request({ clientId: 'c2', requestHash: 'hash-b' }))).toEqual({
      kind: 'proceed',
    });
  });

  it('frees an unanswered key, but never a recorded one', async () => {
    await reserveKey(store, request());
    await releaseKey(db, 'c1', 'k1');
    expect(keyCount()).toBe(0);
    await reserveKey(store, request());
    await recordAnswer(db, 'c1', 'k1', 200, '{}');
    await releaseKey(db, 'c1', 'k1');
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({ state: 'completed' });
  });

  it('rolls the reservation back with its transaction', async () => {
    await expect(
      store.transaction(async (trx) => {
        await reserveKey({ transaction: (fn) => fn(trx) }, request());
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(keyCount()).toBe(0);
  });
});

describe('a key reserved by another process (boot)', () => {
  /** Boot `a` reserves the key at T0; boot `b` retries at `nowMs`. */
  async function reservedByA(): Promise<{ a: string; b: string }> {
    const a = (await registerBoot(db, T0, 101, 'test-host')).id;
    const b = (await registerBoot(db, T0, 102, 'test-host')).id;
    expect(await reserveKey(store, request({ bootId: a }))).toEqual({ kind: 'proceed' });
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({ ownerBoot: a });
    return { a, b };
  }

  it('is busy while that process is alive (its heartbeat is recent)', async () => {
    const { a, b } = await reservedByA();
    const later = T0 + BOOT_STALE_MS + 1_000;
    await putBoot(db, { id: a, pid: 101, host: 'test-host', nowMs: later - 1_000 }); // a beat a second ago
    expect(await reserveKey(store, request({ bootId: b, nowMs: later }))).toEqual({ kind: 'busy' });
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({ ownerBoot: a });
  });

  it('is taken over at once when that process ended (its boot is gone)', async () => {
    const { a, b } = await reservedByA();
    await deleteBoot(db, a);
    expect(await reserveKey(store, request({ bootId: b, nowMs: T0 + 1 }))).toEqual({ kind: 'proceed' });
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({ ownerBoot: b, lockedUntilMs: T0 + 1 + LOCK_MS });
  });

  it('is taken over once that process stopped beating, long before its lock runs out', async () => {
    const { b } = await reservedByA();
    const stale = T0 + BOOT_STALE_MS + 1;
    expect(stale).toBeLessThan(T0 + LOCK_MS);
    expect(await reserveKey(store, request({ bootId: b, nowMs: stale - 2 }))).toEqual({ kind: 'busy' });
    expect(await reserveKey(store, request({ bootId: b, nowMs: stale }))).toEqual({ kind: 'proceed' });
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({ ownerBoot: b });
  });

  it('is taken over at once when that process crashed on this host (its pid is gone), heartbeat or not', async () => {
    const { a, b } = await reservedByA();
    const gone = (pid: number) => pid === 101;
    const retry = (host: string) => request({ bootId: b, nowMs: T0 + 1, here: { host, gone } });
    // On another host a pid means nothing: the recent heartbeat keeps the key busy.
    expect(await reserveKey(store, retry('other-host'))).toEqual({ kind: 'busy' });
    expect(await reserveKey(store, retry('test-host'))).toEqual({ kind: 'proceed' });
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({ ownerBoot: b });
    expect(a).not.toBe(b);
  });

  it('is busy while that process runs on this host (its pid exists)', async () => {
    const { b } = await reservedByA();
    const here = { host: 'test-host', gone: () => false };
    expect(await reserveKey(store, request({ bootId: b, nowMs: T0 + 1, here }))).toEqual({ kind: 'busy' });
  });

  it('is busy for the process that reserved it, whatever its heartbeat', async () => {
    const { a } = await reservedByA();
    await deleteBoot(db, a);
    expect(await reserveKey(store, request({ bootId: a, nowMs: T0 + 1 }))).toEqual({ kind: 'busy' });
  });

  it('keeps the lock of a key without an owner (reserved before boots existed)', async () => {
    await reserveKey(store, request());
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({ ownerBoot: null });
    const b = (await registerBoot(db, T0, 102, 'test-host')).id;
    expect(await reserveKey(store, request({ bootId: b, nowMs: T0 + LOCK_MS - 1 }))).toEqual({
      kind: 'busy',
    });
    expect(await reserveKey(store, request({ bootId: b, nowMs: T0 + LOCK_MS }))).toEqual({
      kind: 'proceed',
    });
  });
});

describe('purging expired keys', () => {
  it('deletes keys past the TTL at most once per interval, during a reservation', async () => {
    await upsertReservedKey(db, {
      clientId: 'c9',
      key: 'old',
      requestHash: 'h',
      nowMs: T0,
      lockedUntilMs: T0,
    });
    const purge = purgeSchedule();
    const late = T0 + TTL + 10;
    await upsertReservedKey(db, {
      clientId: 'c9',
      key: 'old2',
      requestHash: 'h',
      nowMs: T0,
      lockedUntilMs: T0,
    });
    expect(await reserveKey(store, request({ nowMs: late }), purge)).toEqual({ kind: 'proceed' });
    expect(await findKey(db, 'c9', 'old')).toBeUndefined();
    expect(await findKey(db, 'c9', 'old2')).toBeUndefined();
    expect(await findKey(db, 'c1', 'k1')).toBeDefined();

    await upsertReservedKey(db, {
      clientId: 'c9',
      key: 'old',
      requestHash: 'h',
      nowMs: T0,
      lockedUntilMs: T0,
    });
    expect(await purge.purgeIfDue(db, late + PURGE_EVERY_MS, late)).toBe(false);
    expect(await findKey(db, 'c9', 'old')).toBeDefined();
    expect(await purge.purgeIfDue(db, late + PURGE_EVERY_MS + 1, late)).toBe(true);
    expect(await findKey(db, 'c9', 'old')).toBeUndefined();
  });

  it('does not purge without a schedule', async () => {
    await upsertReservedKey(db, {
      clientId: 'c9',
      key: 'old',
      requestHash: 'h',
      nowMs: T0,
      lockedUntilMs: T0,
    });
    await reserveKey(store, request({ nowMs: T0 + TTL + 10 }));
    expect(await findKey(db, 'c9', 'old')).toBeDefined();
  });
});
