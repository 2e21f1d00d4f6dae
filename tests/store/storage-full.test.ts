/**
 * A database that cannot take writes, on a real SQLite file: `max_page_count` pinned to the file's size
 * makes SQLite answer SQLITE_FULL for real (and roll the whole transaction back by itself), and
 * `query_only` answers SQLITE_READONLY. Every unit of a group commit fails with `StorageUnavailable`,
 * nothing of any unit is written, and the storage state recovers with the next write that commits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findKey, upsertReservedKey } from '../../src/idempotency/idempotency.store.js';
import { StorageUnavailable } from '../../src/lib/errors.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { isStorageFailureCode } from '../../src/store/storage.js';
import { migrateToLatest, type Trx } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path);
const single = openSqliteStore(path, { groupCommit: false });
const keys = () => store.sqlite.prepare('SELECT key FROM idempotency_keys ORDER BY key').pluck().all();

/** The disk is "full": the file may not grow by a single page. */
function fillDisk(s: typeof store = store): void {
  s.sqlite.exec('VACUUM');
  const pages = s.sqlite.pragma('page_count', { simple: true }) as number;
  s.sqlite.pragma(`max_page_count = ${pages}`);
}
const freeDisk = (s: typeof store = store) => s.sqlite.pragma('max_page_count = 1073741823');

/** A small write (fits in the pages the file has) and a big one (needs overflow pages). */
const small = (trx: Trx, key: string) =>
  upsertReservedKey(trx, { clientId: 'c', key, requestHash: 'h', nowMs: 1, lockedUntilMs: 2 });
const big = (trx: Trx, key: string) =>
  upsertReservedKey(trx, { clientId: 'c', key, requestHash: 'x'.repeat(50_000), nowMs: 1, lockedUntilMs: 2 });

beforeAll(async () => {
  await migrateToLatest(store.db);
});
beforeEach(() => {
  freeDisk();
  freeDisk(single);
  store.sqlite.exec('DELETE FROM idempotency_keys');
});
afterAll(async () => {
  await single.close();
  await store.close();
  removeTempDb(path);
});

const storageFailure = (code: string) =>
  expect.objectContaining({ name: 'StorageUnavailable', kind: 'storage_unavailable', storageCode: code });

describe('a full disk under group commit', () => {
  it('fails every unit of the group with StorageUnavailable, and writes none of them', async () => {
    fillDisk();
    const results = await Promise.allSettled([
      store.transaction((trx) => small(trx, 'a')),
      store.transaction((trx) => big(trx, 'b')),
      store.transaction((trx) => small(trx, 'c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StorageUnavailable);
      expect((r as PromiseRejectedResult).reason).toEqual(storageFailure('SQLITE_FULL'));
    }
    expect(keys()).toEqual([]);
    expect(store.storage?.()).toMatchObject({ state: 'unavailable', lastError: 'SQLITE_FULL' });
    expect(store.storage?.().lastErrorAt).toEqual(expect.any(Number));
  });

  it('never writes in autocommit after SQLite rolled the transaction back, even if a unit goes on', async () => {
    fillDisk();
    const stubborn = store.transaction(async (trx) => {
      await small(trx, 'before');
      await big(trx, 'too-big').catch(() => undefined); // swallowed: the unit carries on
      await small(trx, 'after');
    });
    await expect(stubborn).rejects.toEqual(storageFailure('SQLITE_FULL'));
    expect(keys()).toEqual([]);
  });

  it('recovers with the next write that commits, keeping the time of the last failure', async () => {
    fillDisk();
    await expect(store.transaction((trx) => big(trx, 'x'))).rejects.toBeInstanceOf(StorageUnavailable);
    const failedAt = store.storage?.().lastErrorAt;
    freeDisk();
    await store.transaction((trx) => big(trx, 'y'));
    expect(keys()).toEqual(['y']);
    expect(store.storage?.()).toEqual({ state: 'ok', lastErrorAt: failedAt, lastError: 'SQLITE_FULL' });
  });
});

describe('a store without group commit', () => {
  it('rolls the unit back and throws StorageUnavailable', async () => {
    fillDisk(single);
    const unit = single.transaction(async (trx) => {
      await small(trx, 'one');
      await big(trx, 'two');
    });
    await expect(unit).rejects.toEqual(storageFailure('SQLITE_FULL'));
    expect(await findKey(single.db, 'c', 'one')).toBeUndefined();
    expect(single.storage?.().state).toBe('unavailable');
  });
});

describe('a database that cannot be written', () => {
  it('answers StorageUnavailable (SQLITE_READONLY), for writes only', async () => {
    store.sqlite.pragma('query_only = 1');
    try {
      await expect(store.transaction((trx) => small(trx, 'ro'))).rejects.toEqual(
        storageFailure('SQLITE_READONLY'),
      );
      expect(await findKey(store.db, 'c', 'ro')).toBeUndefined();
    } finally {
      store.sqlite.pragma('query_only = 0');
    }
  });
});

describe('which SQLite codes mean the storage is unavailable', () => {
  it('disk full, I/O errors, read-only and cannot-open, with their extended codes', () => {
    for (const code of [
      'SQLITE_FULL',
      'SQLITE_IOERR',
      'SQLITE_IOERR_WRITE',
      'SQLITE_IOERR_FSYNC',
      'SQLITE_READONLY',
      'SQLITE_READONLY_DBMOVED',
      'SQLITE_CANTOPEN',
      'SQLITE_CANTOPEN_ISDIR',
    ]) {
      expect(isStorageFailureCode(code), code).toBe(true);
    }
    for (const code of [
      'SQLITE_BUSY',
      'SQLITE_ERROR',
      'SQLITE_CONSTRAINT_UNIQUE',
      'SQLITE_IOERRX',
      'SQLITE_CORRUPT',
    ]) {
      expect(isStorageFailureCode(code), code).toBe(false);
    }
  });
});
