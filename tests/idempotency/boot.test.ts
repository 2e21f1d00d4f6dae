/** The boot of a process on a real SQLite file: registered with its pid, swept when dead, kept alive, ended. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BOOT_STALE_MS,
  bootIsAlive,
  keepBootAlive,
  processGone,
  registerBoot,
} from '../../src/idempotency/boot.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path);
const T0 = 1_800_000_000_000;
const boots = () => store.sqlite.prepare('SELECT * FROM boots ORDER BY started_at_ms').all();

beforeAll(async () => {
  await migrateToLatest(store.db);
});
beforeEach(() => {
  store.sqlite.exec('DELETE FROM boots');
});
afterAll(async () => {
  await store.close();
  removeTempDb(path);
});

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the boot of a process', () => {
  it('is registered with a fresh id and its pid, and sweeps the boots of dead processes', async () => {
    const dead = await registerBoot(store.db, T0, 11, 'test-host');
    const alive = await registerBoot(store.db, T0 + BOOT_STALE_MS - 1_000, 12, 'test-host');
    expect(dead.id).not.toBe(alive.id);
    expect(dead.id).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await registerBoot(store.db, T0 + BOOT_STALE_MS + 1, 13, 'test-host');
    expect(boots()).toEqual([
      {
        id: alive.id,
        pid: 12,
        host: 'test-host',
        started_at_ms: T0 + BOOT_STALE_MS - 1_000,
        heartbeat_at_ms: T0 + BOOT_STALE_MS - 1_000,
      },
      {
        id: mine.id,
        pid: 13,
        host: 'test-host',
        started_at_ms: T0 + BOOT_STALE_MS + 1,
        heartbeat_at_ms: T0 + BOOT_STALE_MS + 1,
      },
    ]);
    expect(await bootIsAlive(store.db, dead.id, T0 + 1)).toBe(false);
    expect(await bootIsAlive(store.db, alive.id, T0 + BOOT_STALE_MS + 1)).toBe(true);
    expect(await bootIsAlive(store.db, alive.id, T0 + 2 * BOOT_STALE_MS)).toBe(false);
  });

  it('is kept alive by its heartbeat, comes back if swept, and is deleted when it stops', async () => {
    let now = T0;
    const boot = await registerBoot(store.db, now, 21, 'test-host');
    const errors: unknown[] = [];
    const heartbeat = keepBootAlive(store, boot, { now: () => now }, (e) => errors.push(e), 5);
    const beat = () =>
      store.sqlite.prepare('SELECT heartbeat_at_ms FROM boots WHERE id = ?').pluck().get(boot.id);
    now = T0 + 3 * BOOT_STALE_MS;
    await until(() => beat() === now, 5_000);
    expect(await bootIsAlive(store.db, boot.id, now)).toBe(true);
    store.sqlite.prepare('DELETE FROM boots WHERE id = ?').run(boot.id); // swept while it stalled
    await until(() => beat() === now, 5_000);
    await heartbeat.stop();
    expect(boots()).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('processGone', () => {
  it('says a running process (this one) is not gone, and a pid that exited is', async () => {
    const { spawnSync } = await import('node:child_process');
    expect(processGone(process.pid)).toBe(false);
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.pid).toBeGreaterThan(0);
    expect(processGone(child.pid ?? 0)).toBe(true);
  });
});
