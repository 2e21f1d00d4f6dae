/** Where the Node runtime finds the log's key: the variable, a key file, or the sandbox key file it makes. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../schemas/config.js';
import { logKeyFrom } from '../../src/reconciliation/log.js';
import { loadLogKey, sandboxKeyPath } from '../../src/runtime/node/log-key.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const paths: string[] = [];
const dbPath = () => {
  const p = tempDbPath();
  paths.push(p);
  return p;
};
afterAll(() => {
  for (const p of paths) removeTempDb(p);
});
const PRODUCTION = {
  PORTAL_URL: 'http://127.0.0.1:9',
  PORTAL_USERNAME: 'u',
  PORTAL_PASSWORD: 'p',
  PORTAL_DSTCODE: 'd',
  PORTAL_MADONVI: 'm',
};
const same = (a: { digest(v: unknown): string } | undefined, b: { digest(v: unknown): string }) =>
  a?.digest('x') === b.digest('x');

describe('the log key on Node', () => {
  it('in sandbox mode makes a key file next to the database (mode 0600) once, then reads it', () => {
    const db = dbPath();
    const config = parseConfig({ DB_PATH: db });
    expect(loadLogKey(config, { create: false })).toBeUndefined();
    const made = loadLogKey(config, { create: true });
    expect(made).toMatchObject({ source: 'sandbox key file', path: sandboxKeyPath(db), created: true });
    expect(statSync(sandboxKeyPath(db)).mode & 0o777).toBe(0o600);
    expect(readFileSync(sandboxKeyPath(db), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    const again = loadLogKey(config, { create: true });
    expect(again).toMatchObject({ created: false });
    expect(made && same(again?.key, made.key)).toBe(true);
  });

  it('uses LOG_CHECKPOINT_KEY, or the file LOG_CHECKPOINT_KEY_FILE names, before any sandbox file', () => {
    const hex = 'c3'.repeat(32);
    const expected = logKeyFrom(new Uint8Array(32).fill(0xc3));
    const viaEnv = loadLogKey(parseConfig({ DB_PATH: dbPath(), LOG_CHECKPOINT_KEY: hex }), { create: true });
    expect(viaEnv?.source).toBe('LOG_CHECKPOINT_KEY');
    expect(same(viaEnv?.key, expected)).toBe(true);
    const file = `${dbPath()}.key`;
    writeFileSync(file, `${Buffer.alloc(32, 0xc3).toString('base64')}\n`);
    const config = parseConfig({ DB_PATH: dbPath(), LOG_CHECKPOINT_KEY_FILE: file });
    const viaFile = loadLogKey(config, { create: true });
    expect(viaFile).toMatchObject({ source: 'LOG_CHECKPOINT_KEY_FILE', created: false });
    expect(same(viaFile?.key, expected)).toBe(true);
  });

  it('refuses a key file it cannot read or that holds no key, naming the variable', () => {
    const missing = parseConfig({ DB_PATH: dbPath(), LOG_CHECKPOINT_KEY_FILE: '/nonexistent/key' });
    expect(() => loadLogKey(missing, { create: true })).toThrow(ConfigError);
    expect(() => loadLogKey(missing, { create: true })).toThrow(/LOG_CHECKPOINT_KEY_FILE: cannot read/);
    const file = `${dbPath()}.key`;
    writeFileSync(file, 'abcd\n');
    const short = parseConfig({ DB_PATH: dbPath(), LOG_CHECKPOINT_KEY_FILE: file });
    expect(() => loadLogKey(short, { create: true })).toThrow(/at least 32 bytes/);
  });

  it('outside sandbox mode makes no key: without one, nothing is anchored', () => {
    expect(loadLogKey(parseConfig({ DB_PATH: dbPath(), ...PRODUCTION }), { create: true })).toBeUndefined();
  });
});
