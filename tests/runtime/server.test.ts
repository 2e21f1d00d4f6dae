/**
 * The real process, over a real socket: `npm start`'s entry, the CLI against the same database file,
 * graceful shutdown with a request still in flight, and a clear failure on bad configuration.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierBody, tempDbPath } from '../helpers/gateway.js';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Running {
  child: ChildProcess;
  url: string;
  keys: Record<string, string>;
  output: () => string;
  exited: Promise<number | null>;
}

function startGateway(dbPath: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DB_PATH: dbPath, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const listening = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (listening) {
        clearTimeout(timer);
        const keys: Record<string, string> = {};
        for (const m of out.matchAll(/^\s+(\w+)\s+demo: (.+?)\s+(lt_\S+)$/gm)) keys[m[2] ?? ''] = m[3] ?? '';
        resolve({ child, url: JSON.parse(listening).url, keys, output: () => out, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', () => reject(new Error(`gateway exited early:\n${out}`)));
  });
}

function cli(dbPath: string, args: string[]) {
  return spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, DB_PATH: dbPath },
    encoding: 'utf8',
  });
}

async function until(check: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the gateway process', () => {
  const dbPath = tempDbPath();
  let gw: Running;
  beforeAll(async () => {
    gw = await startGateway(dbPath);
  });
  afterAll(async () => {
    if (gw.child.exitCode === null) gw.child.kill('SIGKILL');
  });

  it('prints demo keys in sandbox mode and serves the API with them', async () => {
    const key = gw.keys['one-stop software'];
    expect(key).toMatch(/^lt_/);
    const res = await fetch(`${gw.url}/v1/dossiers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(dossierBody()),
    });
    expect(res.status).toBe(201);
  });

  it('sees a client added with the CLI within a second, and its revocation too', async () => {
    const added = cli(dbPath, [
      'clients',
      'add',
      '--name',
      'Sở Tư pháp',
      '--role',
      'department',
      '--system',
      'tuphap',
      '--agency',
      '000.00.15.H06',
      '--agency',
      '000.00.16.H06',
      '--json',
    ]);
    expect(added.status, added.stderr).toBe(0);
    const lines = added.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { id, key } = JSON.parse(lines[0] ?? '{}') as { id: string; key: string };
    expect(id).toBeTruthy();
    const status = async () =>
      (await fetch(`${gw.url}/v1/dossiers`, { headers: { Authorization: `Bearer ${key}` } })).status;
    await until(async () => (await status()) === 200, 1000);

    const list = cli(dbPath, ['clients', 'list', '--json']);
    expect(
      JSON.parse(list.stdout).some(
        (c: { id: string; system: string }) => c.id === id && c.system === 'tuphap',
      ),
    ).toBe(true);
    expect(list.stdout).not.toContain(key);

    const revoked = cli(dbPath, ['clients', 'revoke', id, '--json']);
    expect(revoked.status).toBe(0);
    await until(async () => (await status()) === 401, 1000);
  });

  it('refuses bad CLI input with a message naming the flag', () => {
    const bad = cli(dbPath, ['clients', 'add', '--name', 'x', '--role', 'department', '--agency', 'H06']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--system/);
    expect(bad.stderr).toMatch(/--agency/);
  });

  it('refuses stray CLI arguments and flags a command does not take, with exit code 2', () => {
    const stray = cli(dbPath, ['clients', 'list', 'extra']);
    expect(stray.status).toBe(2);
    expect(stray.stderr).toMatch(/unexpected argument extra/);
    const flag = cli(dbPath, ['log', 'verify', '--name', 'x']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/does not take --name/);
    const unknown = cli(dbPath, ['clients', 'list', '--nme', 'x']);
    expect(unknown.status).toBe(2);
  });

  it('verifies the reconciliation log chain from the CLI', () => {
    const verified = cli(dbPath, ['log', 'verify']);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/chain intact/);
  });

  it('finishes an in-flight request on SIGTERM, then closes the database and exits 0', async () => {
    const key = gw.keys['one-stop software'] ?? '';
    const body = JSON.stringify(dossierBody());
    const { port } = new URL(gw.url);
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/v1/dossiers',
          method: 'POST',
          headers: {
            Authorization: `Bearer ${key}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 100)); // the request is in flight…
      setTimeout(() => {
        gw.child.kill('SIGTERM'); // …when the signal arrives…
        setTimeout(() => req.end(body.slice(100)), 300); // …and completes afterwards
      }, 200);
    });
    expect(await answer).toBe(201);
    expect(await gw.exited).toBe(0);
    expect(gw.output()).toMatch(/"msg":"stopped"/);
    expect(existsSync(`${dbPath}-wal`)).toBe(false); // closed cleanly: WAL checkpointed and removed
  });

  it('made a key file for the log in sandbox mode, and anchored the whole log at shutdown', () => {
    expect(gw.output()).toMatch(/a key for the reconciliation log checkpoints was generated/);
    expect(statSync(`${dbPath}.log-key`).mode & 0o777).toBe(0o600);
    const db = new Database(dbPath, { readonly: true });
    const head = db.prepare('SELECT max(id) AS id FROM reconciliation_log').get() as { id: number };
    const last = db.prepare('SELECT entry_id AS id FROM log_checkpoints ORDER BY seq DESC LIMIT 1').get();
    db.close();
    expect(last).toEqual({ id: head.id });
    expect(gw.output()).toMatch(new RegExp(`"msg":"reconciliation log checkpoint".*"entryId":${head.id}`));
    const verified = cli(dbPath, ['log', 'verify']);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`last anchored entry: ${head.id} .*; 0 entries after it`));
  });
});

describe('start-up configuration', () => {
  it('exits with a clear message naming the bad variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/runtime/node/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty', DB_PATH: tempDbPath() },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/PORT/);
  });
});
