/** The client store on a real SQLite file: rows written and read back, agencies decoded and checked. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredClient } from '../../src/clients/client.js';
import {
  findActiveClientByKeyHash,
  findClient,
  findClients,
  insertClient,
  markClientRevoked,
} from '../../src/clients/client.store.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path, { groupCommit: false });
const db = store.db;

beforeAll(async () => {
  await migrateToLatest(db);
});
beforeEach(() => {
  store.sqlite.exec('DELETE FROM clients');
});
afterAll(async () => {
  await store.close();
  removeTempDb(path);
});

const client = (over: Partial<StoredClient> = {}): StoredClient => ({
  id: 'c1',
  name: 'one-stop',
  role: 'department',
  system: 'motcua',
  agencies: ['000.00.15.H24', '000.00.16.H24'],
  keyHash: 'hash-1',
  keyPrefix: 'lt_abcdefg',
  createdAtMs: 1_000,
  revokedAtMs: null,
  ...over,
});

describe('the client store', () => {
  it('writes one row with agencies as a JSON array, and reads it back decoded', async () => {
    await insertClient(db, client());
    expect(store.sqlite.prepare('SELECT * FROM clients').all()).toEqual([
      {
        id: 'c1',
        name: 'one-stop',
        role: 'department',
        system: 'motcua',
        agencies: '["000.00.15.H24","000.00.16.H24"]',
        key_hash: 'hash-1',
        key_prefix: 'lt_abcdefg',
        created_at_ms: 1_000,
        revoked_at_ms: null,
      },
    ]);
    expect(await findClient(db, 'c1')).toEqual(client());
    expect(await findClient(db, 'c2')).toBeUndefined();
  });

  it('lists every client, newest first', async () => {
    await insertClient(db, client({ id: 'old', keyHash: 'h-old', createdAtMs: 1 }));
    await insertClient(db, client({ id: 'new', keyHash: 'h-new', createdAtMs: 3 }));
    await insertClient(db, client({ id: 'mid', keyHash: 'h-mid', createdAtMs: 2, revokedAtMs: 5 }));
    expect((await findClients(db)).map((c) => c.id)).toEqual(['new', 'mid', 'old']);
  });

  it('finds a client by key hash only while it is not revoked', async () => {
    await insertClient(db, client());
    expect(await findActiveClientByKeyHash(db, 'hash-1')).toEqual(client());
    expect(await findActiveClientByKeyHash(db, 'hash-2')).toBeUndefined();
    expect(await markClientRevoked(db, 'c1', 7_000)).toBe(1);
    expect(await findActiveClientByKeyHash(db, 'hash-1')).toBeUndefined();
  });

  it('revokes once: a second revocation keeps the first time and changes nothing', async () => {
    await insertClient(db, client());
    expect(await markClientRevoked(db, 'c1', 7_000)).toBe(1);
    expect(await markClientRevoked(db, 'c1', 9_000)).toBe(0);
    expect(await markClientRevoked(db, 'nobody', 9_000)).toBe(0);
    expect((await findClient(db, 'c1'))?.revokedAtMs).toBe(7_000);
  });

  it('refuses a row whose agencies are not a JSON array of strings', async () => {
    await insertClient(db, client());
    store.sqlite.prepare(`UPDATE clients SET agencies = '{"a":1}'`).run();
    await expect(findClient(db, 'c1')).rejects.toThrow();
  });
});
