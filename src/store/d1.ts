/**
 * The Workers store: Kysely over Cloudflare D1 (kysely-d1). Reads go straight to D1.
 *
 * D1 has no interactive transactions (no BEGIN/COMMIT across awaits), so a unit of work cannot run
 * here as it does on SQLite. Until units of work are compiled into one atomic `DB.batch([...])`,
 * `transaction()` refuses with the domain error `Unsupported` (answered as a 501 problem, code
 * `not_implemented`) instead of letting a write land half-done.
 */
import {
  type ColumnMetadata,
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  type Dialect,
  Kysely,
  sql,
  type TableMetadata,
  type Transaction,
} from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { Unsupported } from '../lib/errors.js';
import type { Store } from './store.js';
import type { Database } from './tables.js';

/** The result of a D1 statement, as far as kysely-d1 reads it. */
export interface D1ResultLike {
  results?: unknown[];
  error?: string;
  meta: { changes: number; last_row_id: number | null };
}

export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike;
  all(): Promise<D1ResultLike>;
}

/** The slice of the Workers `D1Database` binding this store uses (structural, no workers-types). */
export interface D1DatabaseLike {
  prepare(query: string): D1PreparedStatementLike;
}

export const D1_TRANSACTIONS_UNSUPPORTED =
  'Writes are not available on the Cloudflare Workers runtime yet: D1 cannot run interactive transactions and atomic batched writes are not implemented, so nothing was written.';

/**
 * Kysely's SQLite introspector (which the Migrator uses to see whether its tables exist) lists every
 * table in `sqlite_master` and runs `pragma_table_info` on each. D1 keeps internal `_cf_*` tables
 * there and its authorizer refuses to describe them (SQLITE_AUTH), so every migration would fail.
 * This one is the same query with the `_cf_*` tables left out.
 */
class D1Introspector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas() {
    return [];
  }

  async getMetadata(options?: DatabaseMetadataOptions) {
    return { tables: await this.getTables(options) };
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }) {
    const internal = options.withInternalKyselyTables
      ? sql``
      : sql`and name not in (${DEFAULT_MIGRATION_TABLE}, ${DEFAULT_MIGRATION_LOCK_TABLE})`;
    const { rows: tables } = await sql<{ name: string; type: string; sql: string | null }>`
      select name, type, sql from sqlite_master
      where type in ('table', 'view') and name not like 'sqlite\\_%' escape '\\'
        and name not like '\\_cf\\_%' escape '\\' ${internal}
      order by name`.execute(this.db);
    const result: TableMetadata[] = [];
    for (const table of tables) {
      const { rows: columns } = await sql<{
        name: string;
        type: string;
        notnull: number;
        dflt_value: unknown;
        pk: number;
      }>`select name, type, "notnull", dflt_value, pk from pragma_table_info(${table.name}) order by cid`.execute(
        this.db,
      );
      const declared = table.sql
        ?.split(/[(),]/)
        .find((part) => part.toLowerCase().includes('autoincrement'))
        ?.trimStart()
        .split(/\s+/)[0]
        ?.replace(/["`]/g, '');
      const pk = columns.filter((c) => c.pk > 0);
      const integerPk = pk.length === 1 && pk[0]?.type.toLowerCase() === 'integer' ? pk[0].name : undefined;
      const autoIncrement = declared ?? integerPk;
      result.push({
        name: table.name,
        isView: table.type === 'view',
        columns: columns.map(
          (c): ColumnMetadata => ({
            name: c.name,
            dataType: c.type,
            isNullable: !c.notnull,
            isAutoIncrementing: c.name === autoIncrement,
            hasDefaultValue: c.dflt_value != null,
            comment: undefined,
          }),
        ),
      });
    }
    return result;
  }
}

/** A store over a D1 binding; reads work, units of work answer 501 until batched writes exist. */
export function createD1Store(d1: D1DatabaseLike): Store {
  const base = new D1Dialect({ database: d1 });
  const dialect: Dialect = {
    createAdapter: () => base.createAdapter(),
    createDriver: () => base.createDriver(),
    createQueryCompiler: () => base.createQueryCompiler(),
    createIntrospector: (db) => new D1Introspector(db),
  };
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    async transaction<T>(_fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      throw new Unsupported(D1_TRANSACTIONS_UNSUPPORTED);
    },
    close: () => db.destroy(),
  };
}
