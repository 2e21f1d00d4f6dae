/**
 * The guard every better-sqlite3 statement of a store runs through (docs/api-errors.md,
 * `storage_unavailable`). A storage failure (disk full, an I/O error, a file that cannot be opened or
 * written) becomes `StorageUnavailable` and is recorded by the `StorageMonitor`.
 *
 * SQLite may roll a whole transaction back by itself after a full disk or an I/O error. The guard then
 * refuses every further statement until the transaction is ended, so a unit of work that goes on (or
 * the next unit of a group) can never write in autocommit what it meant to write inside the
 * transaction; and the ROLLBACK that ends it does nothing instead of failing.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';
import type { StorageMonitor } from './storage.js';

type Kind = 'begin' | 'end' | 'other';

function kindOf(text: string): Kind {
  if (/^\s*begin\b/i.test(text)) return 'begin';
  if (/^\s*(commit|end|rollback)\s*(transaction)?\s*$/i.test(text)) return 'end';
  return 'other';
}

export class ConnectionGuard {
  /** A transaction we began and have not ended yet. */
  #open = false;

  constructor(
    private readonly sqlite: SQLite.Database,
    readonly monitor: StorageMonitor,
  ) {}

  /** Runs `fn`, turning a storage failure into `StorageUnavailable`. */
  attempt<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw this.monitor.translate(error);
    }
  }

  /** Prepares `text` on the connection, guarded. */
  prepare(text: string): SqliteStatement {
    return this.wrap(
      this.attempt(() => this.sqlite.prepare(text)),
      kindOf(text),
    );
  }

  /** Whether the connection is inside the transaction it opened (false once SQLite rolled it back). */
  inTransaction(): boolean {
    return this.sqlite.inTransaction;
  }

  private wrap(stmt: SQLite.Statement, kind: Kind): SqliteStatement {
    const sqlite = this.sqlite;
    const rollback = /^\s*rollback/i.test(stmt.source);
    /** SQLite rolled our transaction back: only the ROLLBACK that ends it may run (and does nothing). */
    const lost = () => this.#open && !sqlite.inTransaction;
    const before = () => {
      if (lost() && !(kind === 'end' && rollback)) throw this.monitor.lost();
    };
    return {
      reader: stmt.reader,
      all: (parameters) => {
        before();
        return this.attempt(() => stmt.all(parameters));
      },
      iterate: (parameters) => {
        before();
        return this.attempt(() => stmt.iterate(parameters));
      },
      run: (parameters) => {
        before();
        if (kind === 'end' && rollback && !sqlite.inTransaction) {
          this.#open = false;
          return { changes: 0, lastInsertRowid: 0 };
        }
        try {
          const result = this.attempt(() => stmt.run(parameters));
          if (kind === 'begin') this.#open = true;
          return result;
        } finally {
          if (kind === 'end') this.#open = sqlite.inTransaction;
        }
      },
    };
  }
}
