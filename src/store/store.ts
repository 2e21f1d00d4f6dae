/**
 * The store: a Kysely handle plus the one place that decides how a unit of work becomes atomic.
 * On SQLite (better-sqlite3) a unit of work is an interactive transaction; on D1 it will be one
 * atomic batch. Domain code only ever calls `store.transaction(fn)` and never opens one itself.
 */
import { type Kysely, Migrator, type Transaction } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './tables.js';

export type Db = Kysely<Database> | Transaction<Database>;

export interface Store {
  /** Read handle for queries outside a unit of work. */
  readonly db: Kysely<Database>;
  /** Runs `fn` atomically: all of its writes land, or none do. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Releases the underlying connection. */
  close(): Promise<void>;
}

/** A store over any Kysely dialect that supports interactive transactions (SQLite, PostgreSQL). */
export function createKyselyStore(db: Kysely<Database>): Store {
  return {
    db,
    transaction: (fn) => db.transaction().execute(fn),
    close: () => db.destroy(),
  };
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
