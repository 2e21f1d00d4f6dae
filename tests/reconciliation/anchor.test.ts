/**
 * Writing checkpoints on a real SQLite file: when one is due, what it signs, that it is never written
 * over a log that does not extend the last one, that the table is append-only, and that the Node
 * runtime's housekeeping signs the rest of the log when it stops (a gateway's shutdown).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/log/logger.js';
import { checkpointMessage, NO_MAC } from '../../src/reconciliation/checkpoint.js';
import { anchorLog, appendLog, auditLog, logKeyFrom } from '../../src/reconciliation/log.js';
import { startHousekeeping } from '../../src/runtime/node/housekeeping.js';
import { createTestGateway, dossierBody, type TestGateway } from '../helpers/gateway.js';
import { closeTestStore, openTestStore, type TestStore } from '../transfers/store-fixture.js';

const key = logKeyFrom(new Uint8Array(32).fill(7));
const T0 = Date.parse('2026-12-01T00:00:00Z');
let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const append = (n: number) =>
  s.transaction(async (trx) => {
    for (let i = 0; i < n; i++) await appendLog(trx, { kind: 'test', actor: 'tester', data: { i } }, T0);
  });
const checkpoints = () =>
  s.sqlite.prepare('SELECT * FROM log_checkpoints ORDER BY seq').all() as {
    seq: number;
    entry_id: number;
    entry_hash: string;
    at_ms: number;
    mac: string;
  }[];
const headHash = (id: number) =>
  (s.sqlite.prepare('SELECT hash FROM reconciliation_log WHERE id = ?').get(id) as { hash: string }).hash;

describe('writing a checkpoint', () => {
  it('signs nothing on an empty log, and waits until `every` entries follow the last checkpoint', async () => {
    expect(await anchorLog(s, key, { now: T0, every: 3 })).toEqual({ kind: 'empty' });
    await append(2);
    expect(await anchorLog(s, key, { now: T0, every: 3 })).toEqual({ kind: 'not_due' });
    await append(1);
    expect(await anchorLog(s, key, { now: T0 + 1, every: 3 })).toMatchObject({ kind: 'written' });
    expect(await anchorLog(s, key, { now: T0 + 2, every: 3 })).toEqual({ kind: 'current' });
    await append(1);
    expect(await anchorLog(s, key, { now: T0 + 3, every: 3 })).toEqual({ kind: 'not_due' });
    expect(await anchorLog(s, key, { now: T0 + 4, every: 3, force: true })).toMatchObject({
      kind: 'written',
    });
    expect(checkpoints().map((c) => [c.seq, c.entry_id])).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('signs its sequence number, the entry id and hash, its time and the previous MAC', async () => {
    await append(2);
    await anchorLog(s, key, { now: T0, every: 1 });
    await append(1);
    await anchorLog(s, key, { now: T0 + 5, every: 1 });
    const [first, second] = checkpoints();
    if (!first || !second) throw new Error('two checkpoints expected');
    expect(first).toEqual({
      seq: 1,
      entry_id: 2,
      entry_hash: headHash(2),
      at_ms: T0,
      mac: key.sign(checkpointMessage({ seq: 1, entryId: 2, entryHash: headHash(2), atMs: T0 }, NO_MAC)),
    });
    expect(second.mac).toBe(
      key.sign(checkpointMessage({ seq: 2, entryId: 3, entryHash: headHash(3), atMs: T0 + 5 }, first.mac)),
    );
  });

  it('refuses to sign a log that no longer extends its last checkpoint, or one signed with another key', async () => {
    await append(3);
    await anchorLog(s, key, { now: T0, every: 1 });
    await append(2);
    const other = logKeyFrom(new Uint8Array(32).fill(8));
    expect(await anchorLog(s, other, { now: T0, every: 1 })).toEqual({
      kind: 'refused',
      reason: 'checkpoint #1 does not verify with this key',
    });
    s.sqlite.exec('DROP TRIGGER reconciliation_log_no_update');
    s.sqlite.prepare(`UPDATE reconciliation_log SET prev_hash = 'x' WHERE id = 4`).run();
    expect(await anchorLog(s, key, { now: T0, every: 1 })).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/does not extend checkpoint #1: entry 4/),
    });
    s.sqlite.exec('DROP TRIGGER reconciliation_log_no_delete');
    s.sqlite.prepare('DELETE FROM reconciliation_log WHERE id > 1').run();
    expect(await anchorLog(s, key, { now: T0, every: 1 })).toMatchObject({
      kind: 'refused',
      reason: 'the log ends at entry 1 but checkpoint #1 anchors entry 3',
    });
    expect(checkpoints()).toHaveLength(1);
  });

  it('keeps checkpoints append-only in the database itself', async () => {
    await append(1);
    await anchorLog(s, key, { now: T0, every: 1 });
    expect(() => s.sqlite.prepare('UPDATE log_checkpoints SET entry_id = 0').run()).toThrow(/append-only/);
    expect(() => s.sqlite.prepare('DELETE FROM log_checkpoints').run()).toThrow(/append-only/);
  });
});

describe('the housekeeping loop', () => {
  let gw: TestGateway;
  afterEach(async () => {
    await gw?.close();
  });

  it('writes a checkpoint over the whole log when the gateway closes, though none was due', async () => {
    gw = await createTestGateway(); // sandbox mode: the key file next to the database
    expect(gw.services.intake.logKey).toBeDefined();
    await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
    const logger = createMemoryLogger();
    const hk = startHousekeeping(
      {
        store: gw.services.store,
        clock: gw.services.clock,
        logger,
        config: gw.services.config,
        logKey: gw.services.intake.logKey,
      },
      { run: false },
    );
    await hk.tick();
    expect(gw.sqlite.prepare('SELECT count(*) AS n FROM log_checkpoints').get()).toEqual({ n: 0 });
    await hk.stop();
    const head = gw.sqlite.prepare('SELECT max(id) AS id FROM reconciliation_log').get() as { id: number };
    expect(gw.sqlite.prepare('SELECT seq, entry_id AS entryId FROM log_checkpoints').all()).toEqual([
      { seq: 1, entryId: head.id },
    ]);
    expect(logger.lines.some((l) => l.includes('"msg":"reconciliation log checkpoint"'))).toBe(true);
    const audit = await auditLog(gw.services.store.db, gw.services.intake.logKey);
    expect(audit).toMatchObject({
      ok: true,
      anchoring: { unanchored: 0, lastAnchored: { entryId: head.id } },
    });
  });

  it('logs a refusal once, not at every round', async () => {
    gw = await createTestGateway({ env: { LOG_CHECKPOINT_EVERY: '1' } });
    const logger = createMemoryLogger();
    const deps = {
      store: gw.services.store,
      clock: gw.services.clock,
      logger,
      config: gw.services.config,
      logKey: gw.services.intake.logKey,
    };
    const hk = startHousekeeping(deps, { run: false });
    await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
    await hk.tick();
    await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
    const other = startHousekeeping({ ...deps, logKey: logKeyFrom(new Uint8Array(32)) }, { run: false });
    await other.tick();
    await other.tick();
    expect(logger.lines.filter((l) => l.includes('not anchored'))).toHaveLength(1);
  });
});
