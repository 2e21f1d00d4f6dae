/**
 * Domain errors: what use cases and stores throw. They know nothing of HTTP; `src/http/errors.ts`
 * maps each kind to one error code, one HTTP status and an RFC 9457 problem (docs/architecture.md).
 * `extra` members are facts the caller may see (they become members of the problem document), so
 * never put anything into them that the caller's scope does not already show.
 */

/** One failing field: where it is, which rule it broke, and a sentence for humans. */
export interface FieldError {
  path: string;
  rule: string;
  message: string;
}

export type DomainErrorKind =
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'conflict'
  | 'illegal_transition'
  | 'validation'
  | 'unprocessable'
  | 'unsupported'
  | 'storage_unavailable';

export interface DomainErrorOptions {
  extra?: Record<string, unknown>;
  cause?: unknown;
}

/** The base of every domain error; `detail` is the sentence the caller reads. */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly extra: Record<string, unknown> | undefined;

  constructor(detail: string | undefined, options: DomainErrorOptions = {}) {
    super(detail ?? '', { cause: options.cause });
    this.extra = options.extra;
  }
}

/** No such thing, or not one the caller may see. */
export class NotFound extends DomainError {
  readonly kind = 'not_found' as const;
  override readonly name = 'NotFound';
}

/** The caller is known but may not do this. */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden' as const;
  override readonly name = 'Forbidden';
}

/** The caller is not known (no principal where one is needed). */
export class Unauthorized extends DomainError {
  readonly kind = 'unauthorized' as const;
  override readonly name = 'Unauthorized';
}

/** The request contradicts the current state. */
export class Conflict extends DomainError {
  readonly kind = 'conflict' as const;
  override readonly name = 'Conflict';
}

/** A status move off the state machine. */
export class IllegalTransition extends DomainError {
  readonly kind = 'illegal_transition' as const;
  override readonly name = 'IllegalTransition';
}

/** One or more fields broke a rule; every failing field is listed. */
export class Validation extends DomainError {
  readonly kind = 'validation' as const;
  override readonly name = 'Validation';
  readonly errors: FieldError[];

  constructor(errors: FieldError[], detail?: string, options: DomainErrorOptions = {}) {
    super(
      detail ??
        `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation: ${errors.map((e) => `${e.path} (${e.rule})`).join(', ')}`,
      options,
    );
    this.errors = errors;
  }
}

/** Well-formed and allowed, but it cannot be carried out (e.g. a counter ran out). */
export class Unprocessable extends DomainError {
  readonly kind = 'unprocessable' as const;
  override readonly name = 'Unprocessable';
}

/** This runtime or store cannot do it (yet). */
export class Unsupported extends DomainError {
  readonly kind = 'unsupported' as const;
  override readonly name = 'Unsupported';
}

/** How long a caller should wait before retrying a write the storage refused. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

/**
 * The database cannot take the write (or the read) now: the disk is full, an I/O error, or the file
 * cannot be opened or written. The store throws it; the unit of work it happened in was rolled back as
 * a whole, so nothing of the request is stored (docs/api-errors.md).
 */
export class StorageUnavailable extends DomainError {
  readonly kind = 'storage_unavailable' as const;
  override readonly name = 'StorageUnavailable';
  /** The SQLite result code behind it (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, …), for the logs and health. */
  readonly storageCode: string;
  readonly retryAfterSeconds = STORAGE_RETRY_AFTER_SECONDS;

  constructor(storageCode: string, options: DomainErrorOptions = {}) {
    super(
      'the database cannot take writes right now (disk full or a storage error); nothing of this request was stored, retry later',
      options,
    );
    this.storageCode = storageCode;
  }
}
