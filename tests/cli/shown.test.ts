import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shown } from '../../src/cli/shown.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('shown', () => {
  it('escapes control, bidirectional and invisible format characters, and keeps Vietnamese text', () => {
    expect(shown('Nguyễn Văn An')).toBe('Nguyễn Văn An');
    expect(shown('a\u001b[2Jb')).toBe('a\\u{1b}[2Jb');
    expect(shown('x\ny\tz\r')).toBe('x\\u{a}y\\u{9}z\\u{d}');
    expect(shown('abc\u202edcba')).toBe('abc\\u{202e}dcba');
    expect(shown('\u200b\u0085')).toBe('\\u{200b}\\u{85}');
    expect(shown('back\\u{1b}slash')).toBe('back\\\\u{1b}slash');
  });
});

describe('the CLI prints stored text escaped', () => {
  let dbPath: string;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DB_PATH: dbPath },
      encoding: 'utf8',
    });
  beforeAll(() => {
    dbPath = tempDbPath();
    expect(cli('clients', 'add', '--name', 'operator', '--role', 'operator').status).toBe(0);
    // A name stored before names were checked, or written by hand: the CLI must not replay its escapes.
    const db = new Database(dbPath);
    db.prepare('UPDATE clients SET name = ?').run('evil\u001b]0;owned\u0007\u001b[2J\nfake line');
    db.close();
  });
  afterAll(() => removeTempDb(dbPath));

  it('in clients list', () => {
    const run = cli('clients', 'list');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(run.stdout).toContain('evil\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{a}fake line');
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });
});
