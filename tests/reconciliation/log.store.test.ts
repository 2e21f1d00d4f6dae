/** The reconciliation log store on a real SQLite file: rows in, the newest one, pages in id order. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  findLastLogEntry,
  findLogEntriesFrom,
  insertLogEntry,
  type LogRow,
} from '../../src/reconciliation/log.store.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path, { groupCommit: false });
const db = store.db;

beforeAll(async () => {
  await migrateToLatest(db); // The log is append-only in the database; these tests empty it and tamper with it, as an attacker could.
  store.sqlite.exec('DROP TRIGGER reconciliation_log_no_update; DROP TRIGGER reconciliation_log_no_delete');
});
beforeEach(() => {
  store.sqlite.exec('DELETE FROM reconciliation_log');
});
afterAll(async () => {
  await store.close();
  removeTempDb(path);
});

const row = (id: number): LogRow => ({
  id,
  at_ms: 1_000 + id,
  kind: 'test',
  actor: 'tester',
  dossier_id: id % 2 ? 'd1' : null,
  transfer_id: id % 2 ? null : id,
  data: `{"i":${id}}`,
  prev_hash: `prev-${id}`,
  hash: `hash-${id}`,
});

describe('the reconciliation log store', () => {
  it('has no last entry on an empty log', async () => {
    expect(await findLastLogEntry(db)).toBeUndefined();
    expect(await findLogEntriesFrom(db, 1, 10)).toEqual([]);
  });

  it('stores rows exactly, data as the text given', async () => {
    await insertLogEntry(db, row(1));
    expect(store.sqlite.prepare('SELECT * FROM reconciliation_log').all()).toEqual([row(1)]);
  });

  it('names the entry with the highest id as the last one', async () => {
    for (const id of [1, 3, 2]) await insertLogEntry(db, row(id));
    expect(await findLastLogEntry(db)).toEqual({ id: 3, hash: 'hash-3' });
  });

  it('reads pages from an id on, in id order', async () => {
    for (const id of [5, 1, 4, 2, 3]) await insertLogEntry(db, row(id));
    expect(await findLogEntriesFrom(db, 2, 2)).toEqual([row(2), row(3)]);
    expect(await findLogEntriesFrom(db, 4, 10)).toEqual([row(4), row(5)]);
    expect(await findLogEntriesFrom(db, 6, 10)).toEqual([]);
  });
});
