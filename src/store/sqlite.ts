/**
 * The Node store: an SQLite file through better-sqlite3, tuned for durability.
 * WAL lets readers run beside the writer; synchronous=FULL makes every commit reach the disk before
 * the gateway answers; busy_timeout lets the CLI and a second worker share the file safely.
 * Every statement runs through a guard (`sqlite-guard.ts`) that turns a storage failure (disk full, an
 * I/O error, a file that cannot be written) into `StorageUnavailable`, recorded by `storage.ts`.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteStatement } from 'kysely';
import { registerDirectExecutor } from './prepared.js';
import { ConnectionGuard } from './sqlite-guard.js';
import { StorageMonitor } from './storage.js';
import { createKyselyStore, type Store } from './store.js';
import type { Database } from './tables.js';

const STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, so keep the recent ones.
 * Queries are parameterised, so the same SQL text recurs and the cache stays small.
 */
function withStatementCache(sqlite: SQLite.Database, guard: ConnectionGuard) {
  const cache = new Map<string, SqliteStatement>();
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
        stmt = guard.prepare(source);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value ?? '');
        cache.set(source, stmt);
      }
      return stmt;
    },
  };
}

/**
 * The checkpointer: a thread with its own connection that copies the WAL back into the database file
 * (PASSIVE: it never blocks the writer or readers). Without it, SQLite checkpoints inside whichever
 * commit crosses the threshold, so one unlucky request waits for page copies and an extra fsync on the
 * thread that serves every request. Plain JavaScript (no build step), evaluated in the worker.
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
  parentPort.close();
});
`;

/** Fallback if the checkpointer thread is gone: the connection checkpoints by itself past ~40 MB of WAL. */
const SAFETY_AUTOCHECKPOINT_PAGES = 10_000;

function startCheckpointer(
  file: string,
  intervalMs: number,
  onError: (message: string) => void,
): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  worker.on('message', (m: { error?: string }) => {
    if (m.error) onError(m.error);
  });
  worker.on('error', (e) => onError(e.message));
  let exited = false;
  const gone = new Promise<void>((done) =>
    worker.once('exit', () => {
      exited = true;
      done();
    }),
  );
  return {
    stop: async () => {
      if (exited) return;
      // Unreferenced while it runs (it must not keep a CLI alive); referenced while we wait for it to
      // finish, or the process could run out of work and exit before the database is closed.
      worker.ref();
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 2_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

export interface SqliteStoreOptions {
  /** Run units of work arriving together in one transaction (the server's default). */
  groupCommit?: boolean;
  /** Checkpoint the WAL from a background thread every this many ms (long-running processes). */
  checkpointEveryMs?: number;
  /** Told when a background checkpoint fails (the safety auto-checkpoint still bounds the WAL). */
  onCheckpointError?: (message: string) => void;
}

/** Opens (creating folder and file when needed) the SQLite database at `path`. */
export function openSqliteStore(
  path: string,
  options: SqliteStoreOptions = { groupCommit: true },
): Store & { sqlite: SQLite.Database } {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const checkpointer = options.checkpointEveryMs
    ? startCheckpointer(file, options.checkpointEveryMs, options.onCheckpointError ?? (() => undefined))
    : undefined;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${SAFETY_AUTOCHECKPOINT_PAGES}`);
  const monitor = new StorageMonitor();
  const guard = new ConnectionGuard(sqlite, monitor);
  const statements = withStatementCache(sqlite, guard);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  registerDirectExecutor(db, {
    // What Kysely's SQLite driver does for one statement, without its asynchronous hand-over.
    execute(text, parameters) {
      const stmt = statements.prepare(text);
      if (stmt.reader) return { rows: stmt.all(parameters) };
      const { changes, lastInsertRowid } = stmt.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    },
  });
  const store = createKyselyStore(db, {
    ...options,
    control: (text) => {
      statements.prepare(text).run([]);
    },
    guard: {
      inTransaction: () => guard.inTransaction(),
      failures: () => monitor.failures,
      committed: () => monitor.committed(),
    },
  });
  return {
    ...store,
    storage: () => monitor.status(),
    sqlite,
    close: async () => {
      await checkpointer?.stop();
      await store.close();
    },
  };
}
