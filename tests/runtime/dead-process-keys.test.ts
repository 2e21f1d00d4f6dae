/**
 * Idempotency-Keys held by gateway processes on one SQLite file, over real sockets on 127.0.0.1. A
 * process killed with SIGKILL while its request holds a key: a new gateway (`npm start`'s entry) on the
 * same file and host answers the retry at once with the real result, not 409 (the dead pid is gone). A key
 * held by another process that is alive still answers 409; once that process shuts down cleanly (its
 * boot is ended), the retry proceeds at once. Only processes this test started are signalled, by pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/time.js';
import { createTestGateway, dossierBody, type TestGateway, tempDbPath } from '../helpers/gateway.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const children: ChildProcess[] = [];
let gw: TestGateway;

beforeAll(async () => {
  // Real time in every process: heartbeats and reservations compare times across them.
  gw = await createTestGateway({ dbPath: tempDbPath(), clock: systemClock });
});
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  }
  await gw.close();
});

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts `script` on the test's database and waits for the JSON line that says where it listens. */
function start(script: string, ready: (line: string) => string | undefined): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, DB_PATH: gw.dbPath, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}`)), 30_000);
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        let url: string | undefined;
        try {
          url = line.startsWith('{') ? ready(line) : undefined;
        } catch {
          url = undefined; // not JSON: the sandbox banner
        }
        if (url) {
          clearTimeout(timer);
          resolve({ child, url, exited });
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
  });
}

const stallingGateway = () =>
  start('tests/helpers/stalling-gateway.ts', (line) => (JSON.parse(line) as { url?: string }).url);
const realGateway = () =>
  start('src/runtime/node/main.ts', (line) => {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === 'listening' ? entry.url : undefined;
  });

function push(url: string, key: string, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/dossiers`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${gw.keys.motcua}`,
      'Content-Type': 'application/json',
      'Idempotency-Key': key,
    },
    body: JSON.stringify(body),
  });
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ownerOf = (key: string) =>
  gw.sqlite.prepare('SELECT owner_boot FROM idempotency_keys WHERE key = ?').pluck().get(key);
const startOf = (boot: string) =>
  gw.sqlite.prepare('SELECT started_at_ms FROM boots WHERE id = ?').pluck().get(boot) as number;
const heartbeatOf = (boot: string) =>
  gw.sqlite.prepare('SELECT heartbeat_at_ms FROM boots WHERE id = ?').pluck().get(boot) as number | undefined;
const bootOfPid = (pid: number | undefined) =>
  gw.sqlite.prepare('SELECT id FROM boots WHERE pid = ?').pluck().get(pid) as string | undefined;
const dossiersOf = (recordId: string) =>
  gw.sqlite
    .prepare('SELECT count(*) FROM dossier_sources WHERE system = ? AND record_id = ?')
    .pluck()
    .get('motcua', recordId);

describe('Idempotency-Keys of gateway processes on one database', () => {
  it('frees the keys of a killed process, but not those of a live one', { timeout: 120_000 }, async () => {
    const [crashing, live] = await Promise.all([stallingGateway(), stallingGateway()]);
    const crashingBoot = bootOfPid(crashing.child.pid);
    const liveBoot = bootOfPid(live.child.pid);
    expect(crashingBoot).toBeTruthy();
    expect(liveBoot).toBeTruthy();

    // Each holds a key with a request whose work never finishes.
    const first = dossierBody();
    const second = dossierBody();
    const hung = [push(crashing.url, 'crash-1', first), push(live.url, 'live-1', second)].map((p) =>
      p.catch(() => undefined),
    );
    await until(() => ownerOf('crash-1') === crashingBoot && ownerOf('live-1') === liveBoot, 20_000);

    // A crash: no shutdown, no cleanup, the reservation stays behind.
    process.kill(crashing.child.pid ?? 0, 'SIGKILL');
    await crashing.exited;
    const fresh = await realGateway();
    const freshBoot = bootOfPid(fresh.child.pid);
    expect(freshBoot).toBeTruthy();
    // No wait for the dead process's heartbeat to go stale: it ran on this host and its pid is gone.
    const lastBeat = heartbeatOf(crashingBoot ?? '') ?? 0;
    const retried = await push(fresh.url, 'crash-1', first);
    expect(retried.status).toBe(201);
    expect(ownerOf('crash-1')).toBe(freshBoot);
    const again = await push(fresh.url, 'crash-1', first);
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(dossiersOf((first.source as { recordId: string }).recordId)).toBe(1);

    // The live process still holds its key (its pid exists, its heartbeat goes on).
    await until(() => (heartbeatOf(liveBoot ?? '') ?? 0) > lastBeat, 20_000);
    const busy = await push(fresh.url, 'live-1', second);
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as { code: string }).code).toBe('idempotency_in_progress');

    // A clean shutdown ends its boot: the key is free at once.
    process.kill(live.child.pid ?? 0, 'SIGTERM');
    expect(await live.exited).toBe(0);
    expect(heartbeatOf(liveBoot ?? '')).toBeUndefined();
    const taken = await push(fresh.url, 'live-1', second);
    expect(taken.status).toBe(201);
    expect(dossiersOf((second.source as { recordId: string }).recordId)).toBe(1);
    await Promise.all(hung);

    // `npm start` keeps its own boot alive while it runs and ends it when it stops.
    await until(() => (heartbeatOf(freshBoot ?? '') ?? 0) > startOf(freshBoot ?? ''), 20_000);
    process.kill(fresh.child.pid ?? 0, 'SIGTERM');
    expect(await fresh.exited).toBe(0);
    expect(heartbeatOf(freshBoot ?? '')).toBeUndefined();
  });
});
