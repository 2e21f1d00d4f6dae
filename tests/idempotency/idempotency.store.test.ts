/** The Idempotency-Key store on a real SQLite file: every statement, read back through SQL. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  completeKey,
  deleteInProgressKey,
  deleteKeysCreatedBefore,
  extendKeyLock,
  findKey,
  upsertReservedKey,
} from '../../src/idempotency/idempotency.store.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path, { groupCommit: false });
const db = store.db;
const rows = () => store.sqlite.prepare('SELECT * FROM idempotency_keys ORDER BY client_id, key').all();

beforeAll(async () => {
  await migrateToLatest(db);
});
beforeEach(() => {
  store.sqlite.exec('DELETE FROM idempotency_keys');
});
afterAll(async () => {
  await store.close();
  removeTempDb(path);
});

const reserve = (key: string, nowMs: number, requestHash = 'h1', clientId = 'c1') =>
  upsertReservedKey(db, { clientId, key, requestHash, nowMs, lockedUntilMs: nowMs + 100 });

describe('the idempotency store', () => {
  it('reserves a key in progress, and finds it decoded', async () => {
    await reserve('k1', 1_000);
    expect(rows()).toEqual([
      {
        client_id: 'c1',
        key: 'k1',
        request_hash: 'h1',
        state: 'in_progress',
        response_status: null,
        response_body: null,
        created_at_ms: 1_000,
        locked_until_ms: 1_100,
        owner_boot: null,
      },
    ]);
    expect(await findKey(db, 'c1', 'k1')).toEqual({
      clientId: 'c1',
      key: 'k1',
      requestHash: 'h1',
      state: 'in_progress',
      responseStatus: null,
      responseBody: null,
      createdAtMs: 1_000,
      lockedUntilMs: 1_100,
      ownerBoot: null,
    });
    expect(await findKey(db, 'c2', 'k1')).toBeUndefined();
    expect(await findKey(db, 'c1', 'k2')).toBeUndefined();
  });

  it('replaces a reserved or completed row on the same (client, key), resetting its answer', async () => {
    await reserve('k1', 1_000);
    await completeKey(db, 'c1', 'k1', 201, '{"a":1}');
    await reserve('k1', 5_000, 'h2');
    expect(rows()).toMatchObject([
      { key: 'k1', request_hash: 'h2', state: 'in_progress', response_status: null, created_at_ms: 5_000 },
    ]);
  });

  it('stores the answer text exactly as given', async () => {
    await reserve('k1', 1_000);
    const body = '{"z":1,"a":"ấ","n":1.50}';
    await completeKey(db, 'c1', 'k1', 201, body);
    expect(await findKey(db, 'c1', 'k1')).toMatchObject({
      state: 'completed',
      responseStatus: 201,
      responseBody: body,
    });
  });

  it('moves the lock of one key only', async () => {
    await reserve('k1', 1_000);
    await reserve('k2', 1_000);
    await extendKeyLock(db, 'c1', 'k1', 9_999);
    expect(rows()).toMatchObject([
      { key: 'k1', locked_until_ms: 9_999 },
      { key: 'k2', locked_until_ms: 1_100 },
    ]);
  });

  it('deletes a key only while it is in progress', async () => {
    await reserve('k1', 1_000);
    await reserve('k2', 1_000);
    await completeKey(db, 'c1', 'k2', 200, '{}');
    await deleteInProgressKey(db, 'c1', 'k1');
    await deleteInProgressKey(db, 'c1', 'k2');
    expect(rows()).toMatchObject([{ key: 'k2', state: 'completed' }]);
  });

  it('deletes the keys created strictly before the cutoff', async () => {
    await reserve('old', 1_000);
    await reserve('edge', 2_000);
    await reserve('new', 3_000);
    await deleteKeysCreatedBefore(db, 2_000);
    expect(rows()).toMatchObject([{ key: 'edge' }, { key: 'new' }]);
  });
});
