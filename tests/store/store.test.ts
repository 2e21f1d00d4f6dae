import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLog, verifyLog } from '../../src/reconciliation/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path);
beforeAll(async () => {
  await migrateToLatest(store.db);
});
afterAll(async () => {
  await store.close();
});

describe('the SQLite store', () => {
  it('runs in WAL mode with synchronous=FULL and foreign keys on', () => {
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('has every foundation table after migrating, and migrating again is a no-op', async () => {
    const tables = (
      store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'dossiers',
        'dossier_sources',
        'status_history',
        'idempotency_keys',
        'clients',
        'transfers',
        'reconciliation_log',
        'dossier_code_sequences',
      ]),
    );
    expect(await migrateToLatest(store.db)).toEqual([]);
  });

  it('creates the folder of DB_PATH when it does not exist', async () => {
    const nested = tempDbPath().replace(/gateway\.db$/, 'a/b/c/gateway.db');
    const other = openSqliteStore(nested);
    await migrateToLatest(other.db);
    await other.close();
  });

  it('rolls back every write of a failed unit of work', async () => {
    await expect(
      store.transaction(async (trx) => {
        await appendLog(trx, { kind: 'test', actor: 'test', data: { n: 1 } }, Date.now());
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(
      (store.sqlite.prepare('SELECT count(*) AS n FROM reconciliation_log').get() as { n: number }).n,
    ).toBe(0);
  });
});

describe('the reconciliation log', () => {
  it('chains entries by hash and verifies the whole chain', async () => {
    for (let i = 0; i < 5; i++) {
      await store.transaction((trx) =>
        appendLog(trx, { kind: 'test', actor: 'tester', data: { i } }, Date.now()),
      );
    }
    expect(await verifyLog(store.db)).toEqual({ ok: true, entries: 5 });
  });

  it('refuses edits and deletes in the database itself', () => {
    expect(() =>
      store.sqlite.prepare("UPDATE reconciliation_log SET actor = 'x' WHERE id = 2").run(),
    ).toThrow(/append-only/);
    expect(() => store.sqlite.prepare('DELETE FROM reconciliation_log WHERE id = 2').run()).toThrow(
      /append-only/,
    );
  });

  it('names the first broken entry when someone tampers with the file', async () => {
    store.sqlite.exec('DROP TRIGGER reconciliation_log_no_update');
    store.sqlite.prepare(`UPDATE reconciliation_log SET data = '{"i":99}' WHERE id = 3`).run();
    expect(await verifyLog(store.db)).toMatchObject({ ok: false, brokenAt: 3, entries: 2 });
  });

  it('checkpoints the WAL from a background thread, off the thread that commits, and stops on close', async () => {
    const file = tempDbPath();
    const errors: string[] = [];
    const bg = openSqliteStore(file, { checkpointEveryMs: 50, onCheckpointError: (e) => errors.push(e) });
    await migrateToLatest(bg.db);
    // The commits themselves no longer checkpoint at the default 1,000 pages.
    expect(bg.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    for (let i = 0; i < 200; i++) {
      await bg.transaction((trx) => appendLog(trx, { kind: 'test', actor: 'test', data: { i } }, Date.now()));
    }
    // Only a checkpoint writes pages into the database file itself (until then they live in the WAL), and
    // this connection no longer checkpoints below 10,000 pages: so the file catching up with the
    // database's size is the background thread's doing.
    const pages = () => {
      const count = bg.sqlite.pragma('page_count', { simple: true }) as number;
      return count * (bg.sqlite.pragma('page_size', { simple: true }) as number);
    };
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && statSync(file).size < pages()) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(pages()).toBeGreaterThan(0);
    expect(statSync(file).size).toBe(pages());
    await bg.close();
    expect(errors).toEqual([]);
    const reopened = openSqliteStore(file, { groupCommit: false });
    expect(await verifyLog(reopened.db)).toEqual({ ok: true, entries: 200 });
    await reopened.close();
  });
});
