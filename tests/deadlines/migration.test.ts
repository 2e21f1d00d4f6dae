/** Migration 0013 fills the new columns of the dossiers already stored (docs/deadlines.md, Backfill). */
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

const dbPath = tempDbPath();
const store = openSqliteStore(dbPath);
afterAll(async () => {
  await store.close();
  removeTempDb(dbPath);
});

function insert(id: string, status: string, statusAtMs: number, data: Record<string, unknown>): void {
  store.sqlite
    .prepare(
      `INSERT INTO dossiers (id, code, agency_code, procedure_code, status, status_at_ms, received_at_ms, data,
         version, created_at_ms, updated_at_ms, held) VALUES (?, ?, 'A', '1.004227', ?, ?, 0, ?, 1, 0, 0, 0)`,
    )
    .run(
      id,
      `C-${id}`,
      status,
      statusAtMs,
      JSON.stringify({ receivedAt: '2026-11-02T08:00:00+07:00', ...data }),
    );
}

describe('migration 0013', () => {
  it('stores the pushed due instants and the closing instants of existing rows', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    expect((await migrator.migrateTo('0011_departments')).error).toBeUndefined();
    insert('open', 'processing', 1, { dueAt: '2026-11-20T17:00:00.250+07:00' });
    insert('none', 'received', 1, {});
    insert('resolved', 'returned', 99, {
      dueAt: '2026-11-20T17:00:00+07:00',
      resolvedAt: '2026-11-19T10:00:00+07:00',
    });
    insert('rejected', 'rejected', 99, { rejectedAt: '2026-11-03T10:00:00+07:00' });
    insert('withdrawn', 'withdrawn', 12345, {});
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const rows = store.sqlite.prepare('SELECT id, due_at_ms, closed_at_ms FROM dossiers ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'none', due_at_ms: null, closed_at_ms: null },
      { id: 'open', due_at_ms: Date.parse('2026-11-20T17:00:00.250+07:00'), closed_at_ms: null },
      { id: 'rejected', due_at_ms: null, closed_at_ms: Date.parse('2026-11-03T10:00:00+07:00') },
      {
        id: 'resolved',
        due_at_ms: Date.parse('2026-11-20T17:00:00+07:00'),
        closed_at_ms: Date.parse('2026-11-19T10:00:00+07:00'),
      },
      { id: 'withdrawn', due_at_ms: null, closed_at_ms: 12345 },
    ]);
  });
});
