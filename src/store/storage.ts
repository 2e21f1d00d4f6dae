/**
 * The state of the storage as this process last saw it (docs/api-errors.md, `storage_unavailable`).
 * A statement failing because the disk is full, an I/O error, or a file that cannot be opened or written
 * makes the storage `unavailable`; the next unit of work that commits (a request's write, or the
 * process's heartbeat every few seconds: `src/idempotency/boot.ts`) makes it `ok` again. A write in
 * autocommit (freeing an Idempotency-Key after a failed request) does not count: it is small, and a
 * nearly full disk can take it while it refuses the request's work. The driver's error is
 * turned into the domain error `StorageUnavailable` here, in the store layer, so the HTTP edge answers
 * 503 instead of a generic 500.
 */
import { StorageUnavailable } from '../lib/errors.js';

export interface StorageStatus {
  state: 'ok' | 'unavailable';
  /** Epoch milliseconds of the last storage failure, kept after recovery; null if none since start. */
  lastErrorAt: number | null;
  /** The SQLite result code of the last storage failure (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, …). */
  lastError: string | null;
}

/**
 * SQLite result codes that mean the storage cannot serve the statement, whatever the statement is:
 * disk full, I/O errors (every extended `SQLITE_IOERR_*`), a database that cannot be written
 * (`SQLITE_READONLY*`: file permissions, a read-only mount) or opened (`SQLITE_CANTOPEN*`).
 */
export function isStorageFailureCode(code: string): boolean {
  return (
    code === 'SQLITE_FULL' ||
    /^SQLITE_IOERR(_|$)/.test(code) ||
    /^SQLITE_READONLY(_|$)/.test(code) ||
    /^SQLITE_CANTOPEN(_|$)/.test(code)
  );
}

/** The SQLite result code of a driver error (better-sqlite3 sets `code`), if it has one. */
function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Watches the statements of one connection: records failures and recoveries, translates errors. */
export class StorageMonitor {
  #state: StorageStatus = { state: 'ok', lastErrorAt: null, lastError: null };
  #failures = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** A storage failure becomes `StorageUnavailable` (and is recorded); any other error is kept. */
  translate(error: unknown): unknown {
    if (error instanceof StorageUnavailable) return error;
    const code = sqliteCode(error);
    if (code === undefined || !isStorageFailureCode(code)) return error;
    this.#failures += 1;
    this.#state = { state: 'unavailable', lastErrorAt: this.now(), lastError: code };
    return new StorageUnavailable(code, { cause: error });
  }

  /** SQLite rolled the transaction back by itself after a storage failure: the statement is refused. */
  lost(): StorageUnavailable {
    this.#failures += 1;
    return new StorageUnavailable(this.#state.lastError ?? 'SQLITE_ABORT');
  }

  /** A unit of work committed: the storage takes writes again. */
  committed(): void {
    if (this.#state.state === 'unavailable') this.#state = { ...this.#state, state: 'ok' };
  }

  /** How many storage failures this connection has seen (group commit compares it around a unit). */
  get failures(): number {
    return this.#failures;
  }

  status(): StorageStatus {
    return { ...this.#state };
  }
}
