/**
 * The client use cases (create, list, get, revoke, verify) and the `ClientService` facade, on a real
 * SQLite file.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthCache } from '../../src/clients/auth-cache.js';
import { ClientService, KEY_PREFIX } from '../../src/clients/client.service.js';
import { createClient } from '../../src/clients/create.js';
import { getClient } from '../../src/clients/get.js';
import { listClients } from '../../src/clients/list.js';
import { revokeClient } from '../../src/clients/revoke.js';
import { verifyKey } from '../../src/clients/verify.js';
import { sha256Hex } from '../../src/lib/crypto.js';
import { NotFound } from '../../src/lib/errors.js';
import type { Clock } from '../../src/lib/time.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path, { groupCommit: false });
const db = store.db;
const T0 = Date.parse('2026-11-28T01:00:00Z');
const clock: Clock & { t: number } = {
  t: T0,
  now() {
    return this.t;
  },
};

beforeAll(async () => {
  await migrateToLatest(db);
});
beforeEach(() => {
  store.sqlite.exec('DELETE FROM clients');
  clock.t = T0;
});
afterAll(async () => {
  await store.close();
  removeTempDb(path);
});

const dept = { name: 'one-stop', role: 'department' as const, system: 'motcua', agencies: ['000.00.15.H24'] };
const operator = { name: 'operator', role: 'operator' as const, agencies: [] };

describe('creating a client', () => {
  it('returns the client with its key once, and stores only the key hash and prefix', async () => {
    const created = await createClient(db, clock, dept);
    expect(created).toEqual({
      id: expect.any(String),
      name: 'one-stop',
      role: 'department',
      system: 'motcua',
      agencies: ['000.00.15.H24'],
      keyPrefix: created.key.slice(0, 10),
      createdAt: '2026-11-28T08:00:00+07:00',
      revokedAt: null,
      key: expect.stringMatching(/^lt_[\w-]{43}$/),
    });
    const row = store.sqlite.prepare('SELECT * FROM clients').get() as Record<string, unknown>;
    expect(row.key_hash).toBe(sha256Hex(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(await getClient(db, created.id)).toEqual(omitKey(created));
  });

  it('stores a missing system as null', async () => {
    expect((await createClient(db, clock, operator)).system).toBeNull();
  });
});

function omitKey<T extends { key: string }>(c: T): Omit<T, 'key'> {
  const { key: _key, ...rest } = c;
  return rest;
}

describe('listing, reading and revoking clients', () => {
  it('lists newest first, without keys', async () => {
    const a = await createClient(db, clock, dept);
    clock.t += 1_000;
    const b = await createClient(db, clock, operator);
    const list = await listClients(db);
    expect(list.map((c) => c.id)).toEqual([b.id, a.id]);
    expect(list.every((c) => !('key' in c))).toBe(true);
  });

  it('throws NotFound for an unknown client, on get and on revoke', async () => {
    await expect(getClient(db, 'nobody')).rejects.toBeInstanceOf(NotFound);
    await expect(revokeClient(db, clock, 'nobody')).rejects.toThrow(new NotFound('no client nobody'));
  });

  it('revokes at the clock time, and a second revocation keeps the first time', async () => {
    const c = await createClient(db, clock, operator);
    clock.t += 60_000;
    expect((await revokeClient(db, clock, c.id)).revokedAt).toBe('2026-11-28T08:01:00+07:00');
    clock.t += 60_000;
    expect((await revokeClient(db, clock, c.id)).revokedAt).toBe('2026-11-28T08:01:00+07:00');
  });
});

describe('verifying a key', () => {
  it('resolves an active key to its principal, and refuses unknown, malformed and revoked keys', async () => {
    const c = await createClient(db, clock, dept);
    expect(await verifyKey(db, c.key)).toEqual({
      id: c.id,
      name: 'one-stop',
      role: 'department',
      system: 'motcua',
      agencies: ['000.00.15.H24'],
    });
    expect(await verifyKey(db, `${KEY_PREFIX}unknown`)).toBeNull();
    expect(await verifyKey(db, c.key.slice(KEY_PREFIX.length))).toBeNull();
    expect(await verifyKey(db, `${c.key}${'x'.repeat(200)}`)).toBeNull();
    await revokeClient(db, clock, c.id);
    expect(await verifyKey(db, c.key)).toBeNull();
  });

  it('answers from the cache for its TTL, then from the store again', async () => {
    const c = await createClient(db, clock, operator);
    const cache = new AuthCache(50);
    expect(await verifyKey(db, c.key, cache)).toMatchObject({ id: c.id });
    await revokeClient(db, clock, c.id); // behind the cache's back, as the CLI would
    expect(await verifyKey(db, c.key, cache)).toMatchObject({ id: c.id });
    await new Promise((r) => setTimeout(r, 60));
    expect(await verifyKey(db, c.key, cache)).toBeNull();
  });

  it('caches unknown keys too, so a key added elsewhere shows within the TTL', async () => {
    const cache = new AuthCache();
    const hash = sha256Hex('lt_x');
    expect(await verifyKey(db, 'lt_x', cache)).toBeNull();
    expect(cache.get(hash, Date.now())).toEqual({ principal: null });
    expect(cache.get(hash, Date.now() + 1_000)).toBeUndefined();
    cache.clear();
    expect(cache.get(hash, Date.now())).toBeUndefined();
  });
});

describe('the ClientService facade', () => {
  it('adds, lists, gets, authenticates and revokes, with revocation applying at once', async () => {
    const clients = new ClientService(db, clock);
    const created = await clients.add(dept);
    expect(await clients.list()).toEqual([omitKey(created)]);
    expect(await clients.get(created.id)).toEqual(omitKey(created));
    expect(await clients.get('nobody')).toBeUndefined();
    expect(await clients.authenticate(created.key)).toMatchObject({ id: created.id });
    expect((await clients.revoke(created.id))?.revokedAt).not.toBeNull();
    expect(await clients.authenticate(created.key)).toBeNull(); // the cache was dropped
    expect(await clients.revoke('nobody')).toBeUndefined();
  });

  it('drops its cache on forget(), so a revocation made elsewhere applies at once', async () => {
    const clients = new ClientService(db, clock);
    const created = await clients.add(operator);
    expect(await clients.authenticate(created.key)).not.toBeNull();
    await revokeClient(db, clock, created.id);
    expect(await clients.authenticate(created.key)).not.toBeNull();
    clients.forget();
    expect(await clients.authenticate(created.key)).toBeNull();
  });
});
