/**
 * `sms optout add|remove|list` (docs/sms.md, Opt-out): the same digests as the API and the notice use
 * case (the CLI and the gateway share the database's key), no number stored or printed in clear,
 * unknown flags and arguments refused.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestGateway,
  dossierBody,
  json,
  removeTempDb,
  type TestGateway,
  tempDbPath,
} from '../helpers/gateway.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
let dbPath: string;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sms', 'optout', ...args], {
    cwd: ROOT,
    env: { ...process.env, DB_PATH: dbPath },
    encoding: 'utf8',
  });

beforeAll(() => {
  dbPath = tempDbPath();
});
afterAll(() => removeTempDb(dbPath));

describe('sms optout', () => {
  it('adds, lists and removes an opt-out that the gateway then respects', async () => {
    const add = cli('add', '0912 345 678', '--note', 'Yêu cầu tại quầy', '--json');
    expect(add.status, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added).toMatchObject({
      created: true,
      optOut: { hint: '***678', note: 'Yêu cầu tại quầy', createdBy: 'cli' },
    });
    expect(add.stdout).not.toContain('912345');
    expect(JSON.parse(cli('add', '+84912345678', '--json').stdout).created).toBe(false);
    const list = cli('list');
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(added.optOut.id);
    expect(list.stdout).not.toContain('912345');

    let gw: TestGateway = await createTestGateway({ dbPath, env: { SMS_ENABLED: 'true' } });
    try {
      const res = await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
      const d = await json(res);
      const outcome = gw.sqlite
        .prepare('SELECT outcome FROM sms_notices WHERE dossier_id = ?')
        .pluck()
        .get(d.id);
      expect(outcome).toBe('opted_out');
    } finally {
      await gw.close();
    }

    const removed = cli('remove', '0912.345.678');
    expect(removed.status, removed.stderr).toBe(0);
    expect(cli('remove', added.optOut.id).status).toBe(1); // already gone
    expect(cli('list').stdout.trim()).toBe('(no opt-outs)');
    gw = await createTestGateway({ dbPath, env: { SMS_ENABLED: 'true' } });
    try {
      await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
      expect(
        gw.sqlite.prepare("SELECT count(*) FROM transfers WHERE destination = 'sms'").pluck().get(),
      ).toBe(1);
    } finally {
      await gw.close();
    }
  });

  it('refuses a bad number, unknown flags and stray arguments', () => {
    expect(cli('add', '12345').status).toBe(2);
    expect(cli('add', '0912345678', '--name', 'x').status).toBe(2);
    expect(cli('list', 'extra').status).toBe(2);
    expect(cli('remove', '0912345678', '--note', 'x').status).toBe(2);
    expect(cli('purge').status).toBe(2);
    expect(cli('add', '12345').stdout + cli('add', '12345').stderr).not.toContain('12345');
  });
});
