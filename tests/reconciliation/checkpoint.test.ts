/**
 * Anchored log: a real gateway writes a real SQLite file with signed checkpoints; each test tampers with
 * a COPY of that file, as someone with the file but without the key could, and `log verify` (the use
 * case and the CLI) must say what happened.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKeyText } from '../../schemas/config.js';
import { auditLog, entryHash, type LogAudit, logKeyFrom } from '../../src/reconciliation/log.js';
import { startHousekeeping } from '../../src/runtime/node/housekeeping.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { createTestGateway, dossierBody, json, removeTempDb, tempDbPath } from '../helpers/gateway.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const KEY = 'a1'.repeat(32);
const OTHER_KEY = Buffer.from('b2'.repeat(32), 'hex').toString('base64');
const keyOf = (text: string) => logKeyFrom(decodeKeyText(text) as Uint8Array);

const original = tempDbPath();
const copies: string[] = [];
/** The id of the last entry, and of the last anchored one, in the original. */
let head = 0;
let anchoredHead = 0;

beforeAll(async () => {
  const gw = await createTestGateway({
    dbPath: original,
    env: { LOG_CHECKPOINT_KEY: KEY, LOG_CHECKPOINT_EVERY: '5' },
  });
  const hk = startHousekeeping(
    {
      store: gw.services.store,
      clock: gw.services.clock,
      logger: gw.services.logger,
      config: gw.services.config,
      logKey: gw.services.intake.logKey,
    },
    { run: false },
  );
  for (let i = 0; i < 7; i++) {
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    await gw.request('POST', `/v1/dossiers/${d.id}/events`, {
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
    await hk.tick(); // a checkpoint whenever 5 entries follow the last one
  }
  await hk.stop(); // and one over the rest
  // Two entries after the last checkpoint: the unanchored tail of a running gateway.
  await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
  await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
  const sqlite = gw.sqlite;
  head = (sqlite.prepare('SELECT max(id) AS id FROM reconciliation_log').get() as { id: number }).id;
  anchoredHead = (sqlite.prepare('SELECT max(entry_id) AS id FROM log_checkpoints').get() as { id: number })
    .id;
  await gw.close();
});

afterAll(() => {
  for (const path of [original, ...copies]) removeTempDb(path);
});

/** A copy of the original database with the triggers dropped and `tamper` applied; returns its path. */
function tampered(tamper: (sql: ReturnType<typeof openSqliteStore>['sqlite']) => void = () => {}): string {
  const path = tempDbPath();
  copies.push(path);
  copyFileSync(original, path);
  const store = openSqliteStore(path, { groupCommit: false });
  store.sqlite.exec(`DROP TRIGGER reconciliation_log_no_update; DROP TRIGGER reconciliation_log_no_delete;
    DROP TRIGGER log_checkpoints_no_update; DROP TRIGGER log_checkpoints_no_delete;`);
  tamper(store.sqlite);
  store.sqlite.close();
  return path;
}

async function audit(path: string, key: string | null = KEY): Promise<LogAudit> {
  const store = openSqliteStore(path, { groupCommit: false });
  try {
    return await auditLog(store.db, key === null ? undefined : keyOf(key));
  } finally {
    await store.close();
  }
}

function cli(path: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'log', 'verify'], {
    cwd: ROOT,
    env: { ...process.env, DB_PATH: path, ...env },
    encoding: 'utf8',
  });
}

/** Rewrites entry `id`'s data and recomputes its hash and every later one, as a careful attacker would. */
function rewriteFrom(sql: ReturnType<typeof openSqliteStore>['sqlite'], id: number, data: string) {
  sql.prepare('UPDATE reconciliation_log SET data = ? WHERE id = ?').run(data, id);
  const rows = sql
    .prepare('SELECT * FROM reconciliation_log WHERE id >= ? ORDER BY id')
    .all(id) as Parameters<typeof entryHash>[1][];
  let prev = (sql.prepare('SELECT hash FROM reconciliation_log WHERE id = ?').get(id - 1) as { hash: string })
    .hash;
  for (const row of rows) {
    const hash = entryHash(prev, row);
    sql.prepare('UPDATE reconciliation_log SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, row.id);
    prev = hash;
  }
}

describe('an anchored reconciliation log', () => {
  it('was written with checkpoints every 5 entries and one at stop, and an unanchored tail of 2', async () => {
    // 14 entries (a push and an event each round): checkpoints at entries 6 and 12, and 14 at stop.
    expect(head).toBe(16);
    expect(anchoredHead).toBe(14);
    expect((await audit(tampered())).anchoring).toMatchObject({ checkpoints: 3 });
  });

  it('verifies intact, naming the last anchored entry and how many follow it', async () => {
    const result = await audit(tampered());
    expect(result.ok).toBe(true);
    expect(result.chain).toEqual({ ok: true, entries: head });
    expect(result.anchoring).toMatchObject({
      checked: true,
      ok: true,
      lastAnchored: { entryId: anchoredHead, entryAtMs: expect.any(Number) },
      unanchored: 2,
    });
    const run = cli(tampered(), { LOG_CHECKPOINT_KEY: KEY });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/chain intact/);
    expect(run.stdout).toMatch(new RegExp(`last anchored entry: ${anchoredHead} of 2027-`));
    expect(run.stdout).toMatch(/3 checkpoints verified with the key; 2 entries after it not anchored yet/);
  });

  it('fails when the last entries were deleted past a checkpoint, naming the truncation', async () => {
    const path = tampered((sql) =>
      sql.prepare('DELETE FROM reconciliation_log WHERE id > ?').run(anchoredHead - 3),
    );
    const result = await audit(path);
    expect(result.chain.ok).toBe(true); // the shorter chain is a valid chain…
    expect(result.ok).toBe(false); // …but a checkpoint names an entry that is gone
    expect(result.anchoring).toMatchObject({ problem: { kind: 'truncated' } });
    const run = cli(path, { LOG_CHECKPOINT_KEY: KEY });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /^reconciliation log TAMPERED: the log ends at entry 11 but checkpoint #2 anchors entry 12: entries after 11 were deleted$/m,
    );
  });

  it('fails when an entry was edited and every later hash recomputed', async () => {
    const path = tampered((sql) => rewriteFrom(sql, 3, '{"code":"forged"}'));
    const result = await audit(path);
    expect(result.chain).toEqual({ ok: true, entries: head });
    expect(result.ok).toBe(false);
    expect(result.anchoring).toMatchObject({
      problem: {
        kind: 'rewritten',
        seq: 1,
        reason: expect.stringMatching(/^entry 6 does not match checkpoint #1: an entry up to 6 was changed/),
      },
      lastAnchored: null,
    });
    expect(cli(path, { LOG_CHECKPOINT_KEY: KEY }).status).toBe(1);
  });

  it('fails with the wrong key', async () => {
    const result = await audit(tampered(), OTHER_KEY);
    expect(result.ok).toBe(false);
    expect(result.anchoring).toMatchObject({ problem: { kind: 'forged_checkpoint', seq: 1 } });
    const run = cli(tampered(), { LOG_CHECKPOINT_KEY: OTHER_KEY });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/checkpoint #1 does not verify with this key/);
  });

  it('fails when a checkpoint was altered to anchor an earlier entry', async () => {
    const path = tampered((sql) =>
      sql
        .prepare(
          'UPDATE log_checkpoints SET entry_id = 2, entry_hash = (SELECT hash FROM reconciliation_log WHERE id = 2) WHERE seq = 2',
        )
        .run(),
    );
    expect((await audit(path)).anchoring).toMatchObject({ problem: { kind: 'forged_checkpoint', seq: 2 } });
  });

  it('fails when a checkpoint was deleted from the middle', async () => {
    const path = tampered((sql) => sql.prepare('DELETE FROM log_checkpoints WHERE seq = 2').run());
    expect((await audit(path)).anchoring).toMatchObject({
      problem: { kind: 'missing_checkpoint', reason: expect.stringMatching(/checkpoint #2 is missing/) },
    });
  });

  it('shows deleted last checkpoints only as a longer unanchored tail (the stdout record tells them)', async () => {
    const path = tampered((sql) => sql.prepare('DELETE FROM log_checkpoints WHERE seq = 3').run());
    expect((await audit(path)).anchoring).toMatchObject({ ok: true, checkpoints: 2, unanchored: 4 });
  });

  it('cannot see a deleted unanchored tail, but reports how much of the log is unanchored', async () => {
    const path = tampered((sql) => sql.prepare('DELETE FROM reconciliation_log WHERE id = ?').run(head));
    expect(await audit(path)).toMatchObject({ ok: true, anchoring: { unanchored: 1 } });
  });

  it('without a key checks the chain only, and says that anchoring is not checked', async () => {
    const path = tampered((sql) => sql.prepare('DELETE FROM reconciliation_log WHERE id > ?').run(4));
    expect(await audit(path, null)).toMatchObject({ ok: true, anchoring: { checked: false } });
    const run = cli(path, {});
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/anchoring NOT checked/);
  });
});
