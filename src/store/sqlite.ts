/**
 * The Node store: an SQLite file through better-sqlite3, tuned for durability.
 * WAL lets readers run beside the writer; synchronous=FULL makes every commit reach the disk before
 * the gateway answers; busy_timeout lets the CLI and a second worker share the file safely.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createKyselyStore, type Store } from './store.js';
import type { Database } from './tables.js';

const STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, so keep the recent ones.
 * Queries are parameterised, so the same SQL text recurs and the cache stays small.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      // Every transaction here writes: take the write lock at BEGIN, so a second process on the file
      // (the CLI, `npm run worker`) makes us wait for busy_timeout instead of failing with SQLITE_BUSY
      // when a deferred transaction tries to upgrade from a stale read snapshot.
      const source = /^begin$/i.test(text.trim()) ? 'begin immediate' : text;
      let stmt = cache.get(source);
      if (!stmt) {
        stmt = sqlite.prepare(source);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value ?? '');
        cache.set(source, stmt);
      }
      return stmt;
    },
  };
}

/** Opens (creating folder and file when needed) the SQLite database at `path`. */
export function openSqliteStore(
  path: string,
  options: { groupCommit?: boolean } = { groupCommit: true },
): Store & { sqlite: SQLite.Database } {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { ...createKyselyStore(db, options), sqlite };
}
