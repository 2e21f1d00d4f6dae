/**
 * Destination credentials sealed at rest (docs/departments.md, Credentials), on real SQLite files: the
 * API stores them sealed and never answers them; clear-text rows of an earlier version are sealed at
 * start; outside sandbox mode a start with registered destinations and no key is refused, and so is a
 * start whose key does not open what is stored; a key of the wrong size is refused by the configuration.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, decodeSecretKey, parseConfig } from '../../schemas/config.js';
import { sandboxSecretKeyPath, secretBoxFrom } from '../../src/runtime/node/destination-key.js';
import { createTestGateway, removeTempDb, type TestGateway, tempDbPath } from '../helpers/gateway.js';

const SECRET = 'vbd-sealed-secret-4417';
const KEY_HEX = 'ab'.repeat(32);
const PORTAL = {
  PORTAL_URL: 'https://portal.example.vn',
  PORTAL_USERNAME: 'u',
  PORTAL_PASSWORD: 'p',
  PORTAL_DSTCODE: 'D',
  PORTAL_MADONVI: '000.00.00.H24',
};
let dbPath: string;
let gw: TestGateway | undefined;

afterEach(async () => {
  await gw?.close();
  gw = undefined;
  removeTempDb(dbPath);
});

async function register(g: TestGateway, system = 'land-registry') {
  return g.request('POST', '/v1/admin/destinations', {
    key: g.keys.admin,
    body: {
      system,
      profile: 'land-registry',
      baseUrl: 'http://127.0.0.1:9',
      credentials: SECRET,
      agencies: ['000.00.16.H24'],
    },
  });
}

function stored(): string {
  const db = new Database(dbPath, { readonly: true });
  const row = db.prepare('SELECT credentials FROM department_destinations').get() as { credentials: string };
  db.close();
  return row.credentials;
}

describe('destination credentials at rest', () => {
  it('are stored sealed with the sandbox key file (0600), never answered or logged', async () => {
    dbPath = tempDbPath();
    gw = await createTestGateway({ dbPath });
    const res = await register(gw);
    expect(res.status).toBe(201);
    const listed = await gw.request('GET', '/v1/admin/destinations', { key: gw.keys.admin });
    expect(await listed.text()).not.toContain(SECRET);
    expect(stored()).toMatch(/^v1\./);
    for (const file of [dbPath, `${dbPath}-wal`].filter((f) => existsSync(f)))
      expect(readFileSync(file).includes(Buffer.from(SECRET))).toBe(false);
    const path = sandboxSecretKeyPath(dbPath);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const key = decodeSecretKey(readFileSync(path, 'utf8'));
    if (typeof key === 'string') throw new Error(key);
    expect(secretBoxFrom(key).open(stored())).toBe(SECRET);
    expect(gw.logs.join('\n')).not.toContain(SECRET);
  });

  it('clear-text rows of an earlier version are sealed at start; the wrong key is refused', async () => {
    dbPath = tempDbPath();
    gw = await createTestGateway({ dbPath, env: { DESTINATION_SECRET_KEY: KEY_HEX } });
    expect((await register(gw)).status).toBe(201);
    await gw.close();
    gw = undefined;
    const db = new Database(dbPath);
    db.prepare('UPDATE department_destinations SET credentials = ?').run(SECRET);
    db.close();

    gw = await createTestGateway({ dbPath, env: { DESTINATION_SECRET_KEY: KEY_HEX } });
    expect(stored()).toMatch(/^v1\./);
    expect(secretBoxFrom(Buffer.from(KEY_HEX, 'hex')).open(stored())).toBe(SECRET);
    expect(gw.logs.join('\n')).toContain('destination credentials sealed at rest');
    await gw.close();
    gw = undefined;

    const other = 'cd'.repeat(32);
    await expect(createTestGateway({ dbPath, env: { DESTINATION_SECRET_KEY: other } })).rejects.toThrow(
      /DESTINATION_SECRET_KEY: does not open the stored credentials of land-registry/,
    );
  });

  it('outside sandbox mode, registered destinations and no key: the start is refused', async () => {
    dbPath = tempDbPath();
    gw = await createTestGateway({ dbPath, env: { DESTINATION_SECRET_KEY: KEY_HEX } });
    expect((await register(gw)).status).toBe(201);
    await gw.close();
    gw = undefined;
    const start = createTestGateway({ dbPath, env: PORTAL });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(createTestGateway({ dbPath, env: PORTAL })).rejects.toThrow(
      /DESTINATION_SECRET_KEY: required: 1 departmental destination/,
    );
  });

  it('outside sandbox mode without a key, registering a destination answers 422 and stores nothing', async () => {
    dbPath = tempDbPath();
    gw = await createTestGateway({ dbPath, env: PORTAL });
    const res = await register(gw);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('DESTINATION_SECRET_KEY');
    const listed = await gw.request('GET', '/v1/admin/destinations', { key: gw.keys.admin });
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('a key that is not 32 bytes of hex or base64 is refused by the configuration', () => {
    dbPath = tempDbPath();
    expect(() => parseConfig({ DESTINATION_SECRET_KEY: 'ab'.repeat(31) })).toThrow(
      /DESTINATION_SECRET_KEY: must hold exactly 32 bytes/,
    );
    expect(() => parseConfig({ DESTINATION_SECRET_KEY: 'not a key!' })).toThrow(/DESTINATION_SECRET_KEY/);
    expect(() =>
      parseConfig({ DESTINATION_SECRET_KEY: KEY_HEX, DESTINATION_SECRET_KEY_FILE: '/tmp/x' }),
    ).toThrow(/not both/);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(parseConfig({ DESTINATION_SECRET_KEY: b64 }).destinationSecrets.key).toHaveLength(32);
  });
});
