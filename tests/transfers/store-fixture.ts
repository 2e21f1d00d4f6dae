/** A fresh migrated SQLite file per test, and rows written straight into it, for the transfers' store tests. */
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import type { NewTransfer, TransferTable } from '../../src/store/tables.js';
import { removeTempDb, tempDbPath } from '../helpers/gateway.js';

export type TestStore = ReturnType<typeof openSqliteStore> & { dbPath: string };

export async function openTestStore(): Promise<TestStore> {
  const dbPath = tempDbPath();
  const store = openSqliteStore(dbPath);
  await migrateToLatest(store.db);
  return Object.assign(store, { dbPath });
}

export async function closeTestStore(store: TestStore | undefined): Promise<void> {
  if (!store) return;
  await store.close();
  removeTempDb(store.dbPath);
}

/** A dossier row (transfers reference one). */
export function addDossier(store: TestStore, id: string, agency = '000.00.15.H24', code = `C-${id}`): void {
  store.sqlite
    .prepare(
      `INSERT INTO dossiers (id, code, agency_code, procedure_code, status, status_at_ms, received_at_ms, data,
         version, created_at_ms, updated_at_ms) VALUES (?, ?, ?, 'P', 'received', 0, 0, '{}', 1, 0, 0)`,
    )
    .run(id, code, agency);
}

let seqs = new Map<string, number>();

/** A transfer row of `dossierId` (its dossier must exist), next in its queue unless `seq` is given. */
export async function addTransfer(
  store: TestStore,
  dossierId: string,
  o: Partial<Omit<NewTransfer, 'dossier_id'>> & { state?: TransferTable['state'] } = {},
): Promise<number> {
  const destination = o.destination ?? 'portal';
  const key = `${destination}:${dossierId}`;
  const seq = o.seq ?? (seqs.get(key) ?? 0) + 1;
  seqs.set(key, Math.max(seq, seqs.get(key) ?? 0));
  const row = await store.db
    .insertInto('transfers')
    .values({
      destination,
      kind: 'dossier_sync',
      seq,
      idempotency_key: `${key}:${seq}`,
      payload: '{}',
      state: 'pending',
      attempts: 0,
      next_attempt_at_ms: 0,
      lease_owner: null,
      lease_until_ms: null,
      last_error: null,
      created_at_ms: 0,
      updated_at_ms: 0,
      ...o,
      dossier_id: dossierId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function resetSeqs(): void {
  seqs = new Map();
}

export function stateOf(store: TestStore, id: number): { state: string; attempts: number } {
  return store.sqlite.prepare('SELECT state, attempts FROM transfers WHERE id = ?').get(id) as {
    state: string;
    attempts: number;
  };
}
