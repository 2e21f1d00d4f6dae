/**
 * The store: a Kysely handle plus the one place that decides how a unit of work becomes atomic.
 * On SQLite (better-sqlite3) a unit of work is an interactive transaction; on D1 it will be one
 * atomic batch. Domain code only ever calls `store.transaction(fn)` and never opens one itself.
 */
import { type Kysely, Migrator, type Transaction } from 'kysely';
import { StorageUnavailable } from '../lib/errors.js';
import { migrationProvider } from './migrations/index.js';
import type { StorageStatus } from './storage.js';
import type { Database } from './tables.js';

/** A handle store functions take first: the database, or the unit of work they run in. */
export type Db = Kysely<Database> | Transaction<Database>;

/** A unit of work, as use cases pass it to store functions and ports (they never import Kysely). */
export type Trx = Transaction<Database>;

export interface Store {
  /** Read handle for queries outside a unit of work. */
  readonly db: Kysely<Database>;
  /** Runs `fn` atomically: all of its writes land, or none do. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Releases the underlying connection. */
  close(): Promise<void>;
  /** Whether the storage takes writes, as this process last saw it (a store that cannot tell has none). */
  storage?(): StorageStatus;
}

/**
 * Runs a plain control statement (SAVEPOINT, RELEASE, ROLLBACK TO) synchronously on the connection a
 * transaction holds. A driver that can (better-sqlite3) hands one in, so group commit does not pay
 * Kysely's asynchronous connection hand-over twice per unit of work.
 */
export type ControlStatement = (sql: string) => void;

/**
 * What a driver can tell group commit about storage failures. SQLite may roll a whole transaction back
 * by itself after a full disk or an I/O error, and a failed statement may have been caught by the unit
 * that ran it; either way the group must not commit, or run the next unit outside the transaction it
 * thinks it is in.
 */
export interface StorageGuard {
  /** Whether the connection is still inside the transaction it opened. */
  inTransaction(): boolean;
  /** How many storage failures the connection has seen so far. */
  failures(): number;
  /** A unit of work committed: the storage takes writes again (`storage.ts`). */
  committed(): void;
}

export interface KyselyStoreOptions {
  groupCommit?: boolean;
  control?: ControlStatement;
  guard?: StorageGuard;
}

/** A store over any Kysely dialect that supports interactive transactions (SQLite, PostgreSQL). */
export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions = {}): Store {
  if (options.groupCommit) return createGroupCommitStore(db, options.control, options.guard);
  const guard = options.guard;
  return {
    db,
    transaction: async (fn) => {
      const value = await db.transaction().execute(fn);
      guard?.committed();
      return value;
    },
    close: () => db.destroy(),
  };
}

type Root = Awaited<ReturnType<ReturnType<Kysely<Database>['startTransaction']>['execute']>>;

/**
 * A failure that ends the whole group: the storage refused a statement (the next unit would hit the
 * same wall, and the transaction may be gone already), or the transaction was rolled back under us.
 * Thrown, it rolls the group back and every unit of it is rejected with it: none is half-written.
 */
function groupFailure(error: unknown, guard?: StorageGuard): StorageUnavailable | undefined {
  if (error instanceof StorageUnavailable) return error;
  if (guard && !guard.inTransaction()) return new StorageUnavailable('SQLITE_ABORT', { cause: error });
  return undefined;
}

/** One unit of work inside its own savepoint, through Kysely's savepoint API. */
async function runUnit(
  trx: Root,
  i: number,
  job: Job,
  guard?: StorageGuard,
): Promise<{ ok: boolean; value: unknown }> {
  const name = `unit${i}`;
  const sp = await trx.savepoint(name).execute();
  try {
    const value = await job.fn(sp);
    await sp.releaseSavepoint(name).execute();
    return { ok: true, value };
  } catch (error) {
    const fatal = groupFailure(error, guard);
    if (fatal) throw fatal;
    await sp.rollbackToSavepoint(name).execute();
    await sp.releaseSavepoint(name).execute();
    return { ok: false, value: error };
  }
}

/** The same, with the savepoint statements run directly on the transaction's connection. */
async function runUnitDirect(
  trx: Root,
  control: ControlStatement,
  i: number,
  job: Job,
  guard?: StorageGuard,
): Promise<{ ok: boolean; value: unknown }> {
  const name = `unit${i}`;
  control(`savepoint ${name}`);
  try {
    const value = await job.fn(trx);
    control(`release ${name}`);
    return { ok: true, value };
  } catch (error) {
    const fatal = groupFailure(error, guard);
    if (fatal) throw fatal;
    control(`rollback to ${name}`);
    control(`release ${name}`);
    return { ok: false, value: error };
  }
}

interface Job {
  fn: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const MAX_GROUP = 256;

/** Resolves after the I/O callbacks of the current event-loop turn have run. */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/**
 * Group commit: the units of work that arrive while a commit is in progress are run together in the
 * next transaction, each inside its own savepoint. One failing unit is rolled back to its savepoint
 * and rejected alone; the others commit. Nobody is answered before the shared COMMIT is on disk, so
 * with synchronous=FULL the durability guarantee is the same as one transaction each, at one fsync
 * per group instead of one per request. A storage failure (disk full, an I/O error) in any unit or in
 * the COMMIT rolls the whole group back and rejects every unit of it with `StorageUnavailable`.
 */
function createGroupCommitStore(
  db: Kysely<Database>,
  control?: ControlStatement,
  guard?: StorageGuard,
): Store {
  const queue: Job[] = [];
  let running = false;

  async function runGroup(jobs: Job[]): Promise<void> {
    const settled: { job: Job; ok: boolean; value: unknown }[] = [];
    let trx: Root | undefined;
    try {
      trx = await db.startTransaction().execute();
      for (const [i, job] of jobs.entries()) {
        const seen = guard?.failures();
        const result = control
          ? await runUnitDirect(trx, control, i, job, guard)
          : await runUnit(trx, i, job, guard);
        // A unit that caught a storage failure itself must not commit the half it did.
        if (guard && guard.failures() !== seen) throw new StorageUnavailable('SQLITE_ABORT');
        const lost = groupFailure(undefined, guard);
        if (lost) throw lost;
        settled.push({ job, ...result });
      }
      await trx.commit().execute();
      guard?.committed();
    } catch (error) {
      if (trx)
        await trx
          .rollback()
          .execute()
          .catch(() => undefined);
      for (const job of jobs) job.reject(error);
      return;
    }
    for (const s of settled) (s.ok ? s.job.resolve : s.job.reject)(s.value);
  }

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    try {
      // Let the requests already read in this turn of the event loop join the group before it starts:
      // better-sqlite3 is synchronous, so a group started at once would often hold a single unit.
      await nextTurn();
      while (queue.length > 0) await runGroup(queue.splice(0, MAX_GROUP));
    } finally {
      running = false;
    }
  }

  return {
    db,
    transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        void drain();
      });
    },
    close: async () => {
      while (running || queue.length > 0) await new Promise((r) => setTimeout(r, 5));
      await db.destroy();
    },
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
