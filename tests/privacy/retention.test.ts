/**
 * The retention job on a real SQLite file with past dates: Idempotency-Key answers older than their TTL
 * are deleted; payloads of finished transfers older than the raw-data retention are emptied, unless a
 * replay or a resend could still need them. And `lienthong retention run` from the command line.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../schemas/config.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { runRetention } from '../../src/privacy/retention.js';
import { PURGED_PAYLOAD } from '../../src/privacy/retention.store.js';
import { startHousekeeping } from '../../src/runtime/node/housekeeping.js';
import {
  addDossier,
  addTransfer,
  closeTestStore,
  openTestStore,
  resetSeqs,
  type TestStore,
} from '../transfers/store-fixture.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const DAY = 86_400_000;
const NOW = Date.parse('2027-01-15T00:00:00Z');
const OLD = NOW - 100 * DAY;
const RECENT = NOW - 10 * DAY;
const POLICY = { idempotencyMs: DAY, rawMs: 90 * DAY };
const PAYLOAD = JSON.stringify({
  op: 'insert',
  applicant: { fullName: 'Nguyễn Văn An', idNumber: '027090001234' },
});

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
  resetSeqs();
});
afterEach(async () => {
  await closeTestStore(s);
});

function addKey(key: string, createdAtMs: number): void {
  s.sqlite
    .prepare(
      `INSERT INTO idempotency_keys (client_id, key, request_hash, state, response_status, response_body,
         created_at_ms, locked_until_ms) VALUES ('c', ?, 'h', 'completed', 201, ?, ?, 0)`,
    )
    .run(key, PAYLOAD, createdAtMs);
}

/** A transfer of dossier `d`, finished or not at `at`. */
const transfer = (
  d: string,
  state: 'delivered' | 'cancelled' | 'pending' | 'dead' | 'held',
  at: number,
  kind = 'dossier_sync',
) => addTransfer(s, d, { state, kind, payload: PAYLOAD, created_at_ms: at, updated_at_ms: at });
const payloadOf = (id: number) =>
  (s.sqlite.prepare('SELECT payload FROM transfers WHERE id = ?').get(id) as { payload: string }).payload;
const keys = () => s.sqlite.prepare('SELECT key FROM idempotency_keys ORDER BY key').pluck().all();

describe('the retention job', () => {
  it('deletes Idempotency-Key answers older than their TTL and keeps younger ones', async () => {
    addKey('old', NOW - DAY - 1);
    addKey('young', NOW - DAY + 60_000);
    expect(await runRetention(s, POLICY, NOW)).toEqual({ idempotencyKeys: 1, transferPayloads: 0 });
    expect(keys()).toEqual(['young']);
  });

  it('empties old payloads of finished transfers that nothing can need again', async () => {
    addDossier(s, 'a');
    const oldSync = await transfer('a', 'delivered', OLD);
    const oldProgress = await transfer('a', 'delivered', OLD, 'progress');
    const newestSync = await transfer('a', 'delivered', OLD);
    addDossier(s, 'b');
    const cancelled = await transfer('b', 'cancelled', OLD, 'progress');
    const recent = await transfer('b', 'delivered', RECENT, 'progress');
    expect(await runRetention(s, POLICY, NOW)).toEqual({ idempotencyKeys: 0, transferPayloads: 3 });
    expect([oldSync, oldProgress, cancelled].map(payloadOf)).toEqual([
      PURGED_PAYLOAD,
      PURGED_PAYLOAD,
      PURGED_PAYLOAD,
    ]);
    // The newest dossier sync is what the worker resends when the portal lost the dossier; recent stays.
    expect([newestSync, recent].map(payloadOf)).toEqual([PAYLOAD, PAYLOAD]);
    expect(await runRetention(s, POLICY, NOW)).toEqual({ idempotencyKeys: 0, transferPayloads: 0 });
  });

  it('never empties a pending, dead or held payload, nor any payload of a queue that still has one', async () => {
    for (const [d, open] of [
      ['p', 'pending'],
      ['x', 'dead'],
      ['h', 'held'],
    ] as const) {
      addDossier(s, d);
      const done = await transfer(d, 'delivered', OLD, 'progress');
      const waiting = await transfer(d, open, OLD, 'progress');
      await transfer(d, 'delivered', OLD); // a newer sync, so `done` is not the queue's newest
      expect(await runRetention(s, POLICY, NOW)).toMatchObject({ transferPayloads: 0 });
      expect([done, waiting].map(payloadOf)).toEqual([PAYLOAD, PAYLOAD]);
    }
    expect(
      s.sqlite.prepare('SELECT count(*) AS n FROM transfers WHERE payload = ?').get(PURGED_PAYLOAD),
    ).toEqual({
      n: 0,
    });
  });

  it('runs in the housekeeping loop of the Node runtime at its first round, then once an hour', async () => {
    let now = NOW;
    const logger = createMemoryLogger();
    const config = parseConfig({ DB_PATH: s.dbPath });
    const deps = { store: s, clock: { now: () => now }, logger, config, logKey: undefined };
    const hk = startHousekeeping(deps, { run: false });
    addKey('first', NOW - 2 * DAY);
    await hk.tick();
    expect(keys()).toEqual([]);
    expect(
      logger.lines.some((l) => l.includes('"msg":"retention"') && l.includes('"idempotencyKeys":1')),
    ).toBe(true);
    addKey('second', NOW - 2 * DAY);
    now += 59 * 60_000;
    await hk.tick();
    expect(keys()).toEqual(['second']);
    now += 60_000;
    await hk.tick();
    expect(keys()).toEqual([]);
    await hk.stop();
  });

  it('runs from the command line, and refuses flags it does not take', async () => {
    addDossier(s, 'a');
    const old = await transfer('a', 'delivered', Date.now() - 100 * DAY, 'progress');
    await transfer('a', 'delivered', Date.now() - 100 * DAY);
    addKey('old', Date.now() - 2 * DAY);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'retention', ...args], {
        cwd: ROOT,
        env: { ...process.env, DB_PATH: s.dbPath, RETENTION_DAYS_RAW: '30' },
        encoding: 'utf8',
      });
    const run = cli('run', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ idempotencyKeys: 1, transferPayloads: 1 });
    expect(payloadOf(old)).toBe(PURGED_PAYLOAD);
    const text = cli('run');
    expect(text.stdout).toMatch(
      /deleted 0 Idempotency-Key answers older than 24 h; emptied 0 payloads of finished transfers older than 30 days/,
    );
    const stray = cli('run', '--name', 'x');
    expect(stray.status).toBe(2);
    expect(stray.stderr).toMatch(/retention run does not take --name/);
    expect(cli().status).toBe(2);
  });
});
