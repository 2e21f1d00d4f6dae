/**
 * Statements built once. A store file writes a hot statement with Kysely's builder as usual, with
 * placeholders where the values go; it is built and compiled the first time it runs on a dialect, and
 * every later run only binds new values (docs/architecture.md). Building and compiling a query costs
 * more than SQLite takes to run most of the intake statements, so this is where intake spends less.
 *
 * Per dialect: the compiled SQL is kept per Kysely adapter, so a second dialect (PostgreSQL) gets its
 * own text from the same builder code. Only fixed-shape statements belong here: a placeholder stands
 * for one value, never for a list or an identifier.
 *
 * Write constants as literals (`.limit(sql.lit(20))`), not as values: SQLite built with STAT4 (as
 * better-sqlite3 is) re-plans a statement every time a LIMIT is bound to a parameter, which costs ten
 * times the statement itself (docs/benchmarks.md).
 */
import {
  type Compilable,
  type CompiledQuery,
  type DialectAdapter,
  type Kysely,
  type QueryResult,
  sql,
} from 'kysely';
import type { Db } from './store.js';
import type { Database } from './tables.js';

/**
 * A driver's synchronous way to run a compiled statement on the connection a transaction holds.
 * Inside a unit of work every statement runs on that one connection anyway, so a driver that can run
 * statements synchronously (better-sqlite3) registers one, and prepared statements skip Kysely's
 * asynchronous connection hand-over there. Outside a transaction they always go through Kysely, which
 * keeps them from running inside somebody else's transaction.
 */
export interface DirectExecutor {
  execute(sql: string, parameters: readonly unknown[]): QueryResult<unknown>;
}

const directExecutors = new WeakMap<DialectAdapter, DirectExecutor>();

/** Registers the direct executor of a Kysely instance (its transactions share the adapter). */
export function registerDirectExecutor(db: Kysely<Database>, executor: DirectExecutor): void {
  directExecutors.set(db.getExecutor().adapter, executor);
}

const PLACEHOLDER = Symbol('placeholder');

interface Placeholder {
  readonly [PLACEHOLDER]: string;
}

function isPlaceholder(value: unknown): value is Placeholder {
  return typeof value === 'object' && value !== null && PLACEHOLDER in value;
}

/** A compiled statement's parameters: each one a named placeholder or a constant of the statement. */
type Slot = { name: string } | { value: unknown };

interface Compiled {
  query: CompiledQuery;
  slots: Slot[];
}

export interface Prepared<P, R> {
  /** Runs the statement with `values` and answers every row. */
  all(db: Db, values: P): Promise<R[]>;
  /** Runs the statement with `values` and answers the first row. */
  first(db: Db, values: P): Promise<R | undefined>;
  /** Runs the statement with `values` and answers Kysely's result (affected rows for writes). */
  run(db: Db, values: P): Promise<QueryResult<R>>;
}

/**
 * Declares a statement with named placeholders: `build(db, p)` uses `p.name` wherever the value of
 * `values.name` goes. The builder runs once per dialect, with placeholders in place of values.
 */
export function prepared<P extends object>() {
  return <R>(build: (db: Db, p: P) => Compilable<R>): Prepared<P, R> => {
    const byAdapter = new WeakMap<DialectAdapter, Compiled>();

    function compile(db: Db): Compiled {
      const adapter = db.getExecutor().adapter;
      const cached = byAdapter.get(adapter);
      if (cached) return cached;
      const markers = new Map<string, Placeholder>();
      const p = new Proxy({} as P, {
        get(_target, name) {
          const key = String(name);
          let marker = markers.get(key);
          if (!marker) {
            marker = { [PLACEHOLDER]: key };
            markers.set(key, marker);
          }
          return marker;
        },
      });
      const query = build(db, p).compile();
      const slots = query.parameters.map(
        (v): Slot => (isPlaceholder(v) ? { name: v[PLACEHOLDER] } : { value: v }),
      );
      const compiled = { query, slots };
      byAdapter.set(adapter, compiled);
      return compiled;
    }

    async function run(db: Db, values: P): Promise<QueryResult<R>> {
      const { query, slots } = compile(db);
      const named = values as Record<string, unknown>;
      const parameters = slots.map((s) => ('name' in s ? (named[s.name] ?? null) : s.value));
      const direct = db.isTransaction ? directExecutors.get(db.getExecutor().adapter) : undefined;
      if (direct) return direct.execute(query.sql, parameters) as QueryResult<R>;
      return db.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
    }

    return {
      run,
      all: async (db, values) => [...(await run(db, values)).rows],
      first: async (db, values) => (await run(db, values)).rows[0],
    };
  };
}

/**
 * A LIMIT written into the statement as a literal, for the reason above; the store's other queries
 * (lists, claims) use it too. `n` is always a number the code or a validated query chose.
 */
export function literalLimit(n: number) {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`a limit must be a non-negative integer, not ${n}`);
  return sql.lit(n);
}
