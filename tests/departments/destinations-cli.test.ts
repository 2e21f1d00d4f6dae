/**
 * `destinations add|list|remove` (docs/departments.md, Destinations): credentials read from an env var,
 * stored, never printed; unknown flags, profiles and stray arguments refused.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSecretKey } from '../../schemas/config.js';
import { sandboxSecretKeyPath, secretBoxFrom } from '../../src/runtime/node/destination-key.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'vbd-cli-secret-7d1f';
let dbPath: string;
const cli = (...args: string[]) => cliWith({}, ...args);
const cliWith = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'destinations', ...args], {
    cwd: ROOT,
    env: { ...process.env, DB_PATH: dbPath, VBD_TOKEN: SECRET, ...env },
    encoding: 'utf8',
  });
const ADD = [
  'add',
  '--system',
  'land-registry',
  '--profile',
  'land-registry',
  '--url',
  'https://vbd.example.vn/',
  '--credentials-env',
  'VBD_TOKEN',
  '--agency',
  '000.00.16.H24',
];

beforeAll(() => {
  dbPath = tempDbPath();
});
afterAll(() => removeTempDb(dbPath));

describe('destinations', () => {
  it('adds, lists and removes a destination; the credentials are stored and never printed', () => {
    const add = cli(...ADD, '--json');
    expect(add.status, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({
      system: 'land-registry',
      profile: 'land-registry',
      baseUrl: 'https://vbd.example.vn',
      agencies: ['000.00.16.H24'],
    });
    expect(cli(...ADD).status).toBe(1); // registered already
    const list = cli('list', '--json');
    expect(JSON.parse(list.stdout).items).toHaveLength(1);
    for (const r of [add, list]) expect(r.stdout + r.stderr).not.toContain(SECRET);
    const db = new Database(dbPath, { readonly: true });
    const row = db.prepare('SELECT credentials FROM department_destinations').get() as {
      credentials: string;
    };
    const log = db.prepare('SELECT data FROM reconciliation_log').all() as { data: string }[];
    db.close();
    // Sealed at rest with the sandbox key file next to the database (0600), which opens them.
    expect(row.credentials).toMatch(/^v1\./);
    expect(row.credentials).not.toContain(SECRET);
    const keyPath = sandboxSecretKeyPath(dbPath);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const key = decodeSecretKey(readFileSync(keyPath, 'utf8'));
    if (typeof key === 'string') throw new Error(key);
    expect(secretBoxFrom(key).open(row.credentials)).toBe(SECRET);
    expect(JSON.stringify(log)).not.toContain(SECRET);
    expect(cli('remove', '--system', 'land-registry').status).toBe(0);
    expect(cli('remove', '--system', 'land-registry').status).toBe(1);
    expect(cli('list').stdout).toContain('(no destinations)');
    // With --pull the gateway polls the system's change feed (its profile has one).
    expect(JSON.parse(cli(...ADD, '--pull', '--json').stdout)).toMatchObject({ pull: true });
    expect(readFileSync(dbPath).includes(Buffer.from('destination_added'))).toBe(true);
  }, 90_000);

  it('refuses an unknown profile, a missing secret, unknown flags and stray arguments', () => {
    const unknown = cli(...ADD.map((a) => (a === 'land-registry' ? 'cadastre-x' : a)), '--json');
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toContain('unknown_profile');
    const noSecret = cli(...ADD.map((a) => (a === 'VBD_TOKEN' ? 'NO_SUCH_VAR' : a)));
    expect(noSecret.status).toBe(2);
    expect(noSecret.stderr).toContain('--credentials-env');
    expect(cli('list', '--system', 'x').status).toBe(2);
    expect(cli('list', 'extra').status).toBe(2);
    expect(cli(...ADD, '--note', 'x').status).toBe(2);
  });

  it('outside sandbox mode without DESTINATION_SECRET_KEY the credentials are not stored at all', () => {
    const env = {
      PORTAL_URL: 'https://portal.example.vn',
      PORTAL_USERNAME: 'u',
      PORTAL_PASSWORD: 'p',
      PORTAL_DSTCODE: 'D',
      PORTAL_MADONVI: '000.00.00.H24',
      SMS_ENABLED: 'false',
    };
    const refused = cliWith(env, ...ADD);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toContain('DESTINATION_SECRET_KEY');
    const bad = cliWith({ ...env, DESTINATION_SECRET_KEY: 'abcd' }, 'list');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('DESTINATION_SECRET_KEY: must hold exactly 32 bytes');
  });
});
