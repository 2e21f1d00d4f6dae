/**
 * The reconciliation log's chain on a real SQLite file: the exact hash of an entry (computed here
 * independently), appends linking each entry to the one before, and verification naming the first
 * broken entry across pages.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendLog, entryHash, GENESIS_HASH, verifyLog } from '../../src/reconciliation/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path, { groupCommit: false });
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const rows = () =>
  store.sqlite.prepare('SELECT * FROM reconciliation_log ORDER BY id').all() as Record<string, unknown>[];

beforeAll(async () => {
  await migrateToLatest(store.db); // The log is append-only in the database; these tests empty it and tamper with it, as an attacker could.
  store.sqlite.exec('DROP TRIGGER reconciliation_log_no_update; DROP TRIGGER reconciliation_log_no_delete');
});
beforeEach(() => {
  store.sqlite.exec('DELETE FROM reconciliation_log');
});
afterAll(async () => {
  await store.close();
  removeTempDb(path);
});

describe('the hash chain', () => {
  it('starts from 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('hashes the previous hash and the entry as canonical JSON with sorted keys', () => {
    const e = {
      id: 7,
      at_ms: 1_800_000_000_000,
      kind: 'dossier.created',
      actor: 'client:ấ',
      dossier_id: 'd-1',
      transfer_id: null,
      data: '{"a":1}',
    };
    const text = `${'f'.repeat(64)}\n{"actor":"client:ấ","at":1800000000000,"data":"{\\"a\\":1}","dossier":"d-1","id":7,"kind":"dossier.created","transfer":null}`;
    expect(entryHash('f'.repeat(64), e)).toBe(sha(text));
  });
});

describe('appending', () => {
  it('numbers entries from 1, stores data as canonical JSON and links each hash to the one before', async () => {
    await store.transaction(async (trx) => {
      await appendLog(
        trx,
        { kind: 'k', actor: 'a', dossierId: 'd1', data: { z: 1, a: [{ y: 2, b: undefined }] } },
        10,
      );
      await appendLog(trx, { kind: 'k2', actor: 'a', transferId: 4, data: {} }, 20);
    });
    const [first, second] = rows();
    expect(first).toMatchObject({
      id: 1,
      at_ms: 10,
      dossier_id: 'd1',
      transfer_id: null,
      data: '{"a":[{"y":2}],"z":1}',
      prev_hash: GENESIS_HASH,
    });
    expect(first?.hash).toBe(
      sha(
        `${GENESIS_HASH}\n{"actor":"a","at":10,"data":"{\\"a\\":[{\\"y\\":2}],\\"z\\":1}","dossier":"d1","id":1,"kind":"k","transfer":null}`,
      ),
    );
    expect(second).toMatchObject({
      id: 2,
      dossier_id: null,
      transfer_id: 4,
      data: '{}',
      prev_hash: first?.hash,
    });
    expect(await verifyLog(store.db)).toEqual({ ok: true, entries: 2 });
  });

  it('writes nothing when the transaction rolls back', async () => {
    await expect(
      store.transaction(async (trx) => {
        await appendLog(trx, { kind: 'k', actor: 'a', data: {} }, 1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(rows()).toEqual([]);
  });
});

describe('verifying', () => {
  const fill = async (n: number) => {
    for (let i = 0; i < n; i += 1) {
      await store.transaction((trx) => appendLog(trx, { kind: 'k', actor: 'a', data: { i } }, i));
    }
  };

  it('passes an empty log and an intact one, across pages', async () => {
    expect(await verifyLog(store.db)).toEqual({ ok: true, entries: 0 });
    await fill(7);
    expect(await verifyLog(store.db, 3)).toEqual({ ok: true, entries: 7 });
  });

  it('names an edited entry', async () => {
    await fill(5);
    store.sqlite.prepare(`UPDATE reconciliation_log SET data = '{"i":99}' WHERE id = 4`).run();
    expect(await verifyLog(store.db, 2)).toEqual({
      ok: false,
      entries: 3,
      brokenAt: 4,
      reason: 'content does not match its hash',
    });
  });

  it('names a missing entry', async () => {
    await fill(5);
    store.sqlite.prepare('DELETE FROM reconciliation_log WHERE id = 3').run();
    expect(await verifyLog(store.db, 2)).toEqual({
      ok: false,
      entries: 2,
      brokenAt: 3,
      reason: 'entry 3 is missing',
    });
  });

  it('names an entry whose prev_hash is not the hash before it', async () => {
    await fill(3);
    store.sqlite.prepare(`UPDATE reconciliation_log SET prev_hash = ? WHERE id = 2`).run('0'.repeat(64));
    expect(await verifyLog(store.db)).toEqual({
      ok: false,
      entries: 1,
      brokenAt: 2,
      reason: 'prev_hash does not match the entry before',
    });
  });
});
