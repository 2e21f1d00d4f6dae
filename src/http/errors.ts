/**
 * One error model for the whole API (RFC 9457 problem+json).
 * Use cases and stores throw domain errors (`src/lib/errors.ts`); the HTTP layer throws `ApiError`.
 * `toApiError` maps a domain error to its code here, and only here; `onError` and the validation hook
 * turn an `ApiError` into a problem. Every code maps to exactly one HTTP status, so clients can branch
 * on `code` or on the status alike.
 */
import {
  type DomainError,
  type DomainErrorKind,
  type FieldError,
  StorageUnavailable,
  Validation,
} from '../lib/errors.js';

export type { FieldError } from '../lib/errors.js';

export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  illegal_transition: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  unprocessable: 422,
  internal: 500,
  not_implemented: 501,
  service_unavailable: 503,
  storage_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLES: Record<ErrorCode, string> = {
  validation_failed: 'The request did not pass validation',
  malformed_json: 'The request body is not valid JSON',
  bad_request: 'The request is not acceptable',
  unauthorized: 'A valid API key is required',
  forbidden: 'This client may not do that',
  not_found: 'No such resource',
  route_not_found: 'No such route',
  method_not_allowed: 'Method not allowed on this route',
  conflict: 'The request conflicts with the current state',
  illegal_transition: 'That status change is not allowed',
  idempotency_in_progress: 'A request with this Idempotency-Key is still being processed',
  idempotency_key_reused: 'This Idempotency-Key was used with a different request',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'Unsupported content type',
  unprocessable: 'The request cannot be processed',
  internal: 'Internal error',
  not_implemented: 'Not implemented on this runtime',
  service_unavailable: 'Service unavailable',
  storage_unavailable: 'The database cannot take writes right now',
};

/** The error every layer throws; `extra` members are added to the problem document. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  /** Headers the answer carries besides the problem's own (`Retry-After` of a 503). */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: {
      errors?: FieldError[];
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(detail ?? ERROR_TITLES[code], { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.extra = options.extra;
    this.headers = options.headers;
  }
}

/** Shorthand for a validation problem with one or more field errors. */
export function validationError(errors: FieldError[], detail?: string): ApiError {
  return fromDomainError(new Validation(errors, detail));
}

/** The error code of each domain error kind: the only place the two vocabularies meet. */
const DOMAIN_CODES: Record<DomainErrorKind, ErrorCode> = {
  not_found: 'not_found',
  forbidden: 'forbidden',
  unauthorized: 'unauthorized',
  conflict: 'conflict',
  illegal_transition: 'illegal_transition',
  validation: 'validation_failed',
  unprocessable: 'unprocessable',
  unsupported: 'not_implemented',
  storage_unavailable: 'storage_unavailable',
};

/** The API error a domain error answers as; its detail, field errors and extra members are kept. */
export function fromDomainError(error: DomainError): ApiError {
  return new ApiError(DOMAIN_CODES[error.kind], error.message || undefined, {
    ...(error instanceof Validation ? { errors: error.errors } : {}),
    ...(error.extra ? { extra: error.extra } : {}),
    ...(error instanceof StorageUnavailable
      ? { headers: { 'Retry-After': String(error.retryAfterSeconds) } }
      : {}),
    cause: error,
  });
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** Builds the problem document for an error; 5xx never carry the internal message. */
export function toProblem(error: ApiError, instance: string, requestId: string): Problem {
  const internal = error.status >= 500;
  return {
    ...(error.extra ?? {}),
    type: `/problems/${error.code}`,
    title: ERROR_TITLES[error.code],
    status: error.status,
    detail:
      internal && error.code === 'internal'
        ? 'An unexpected error occurred; quote the request id to the operators.'
        : error.message,
    instance,
    code: error.code,
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
