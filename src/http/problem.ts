/** Turns anything thrown into an RFC 9457 problem answer, and zod issues into field errors. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { DomainError } from '../lib/errors.js';
import type { AppEnv } from './context.js';
import {
  ApiError,
  type FieldError,
  fromDomainError,
  PROBLEM_CONTENT_TYPE,
  toProblem,
  validationError,
} from './errors.js';

/** One field error per zod issue: dotted path, the rule it broke, and zod's message. */
export function fieldErrors(error: ZodError, prefix?: string, input?: unknown): FieldError[] {
  const valueAt = (path: PropertyKey[]) => {
    let v: unknown = input;
    for (const k of path)
      v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
    return v;
  };
  const join = (parts: PropertyKey[]) =>
    [prefix, ...parts.map(String)].filter((p) => p !== undefined && p !== '').join('.');
  return error.issues.flatMap((issue) => {
    // A parameter nobody reads is refused by name: a typo must not look like a result.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const name = key === '' ? '""' : key;
        return {
          path: join([...issue.path, name]),
          rule: 'unknown_parameter',
          message: `${name} is not a parameter of this route`,
        };
      });
    }
    const path = join(issue.path);
    const params = 'params' in issue ? (issue.params as Record<string, unknown> | undefined) : undefined;
    const rule =
      typeof params?.rule === 'string'
        ? params.rule
        : issue.code === 'invalid_format' && 'format' in issue
          ? `format_${String(issue.format)}`
          : (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
              valueAt(issue.path) === undefined
            ? 'required'
            : issue.code;
    return { path: path || '(body)', rule, message: issue.message };
  });
}

/** The defaultHook of every OpenAPI route: validation failures become one problem listing every field. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target?: string; data?: unknown },
  _c: Context<AppEnv>,
): void {
  if (!result.success) {
    const prefix = result.target && result.target !== 'json' ? result.target : undefined;
    throw validationError(fieldErrors(result.error, prefix, result.data));
  }
}

/** Maps an error to an ApiError: ours pass through, framework ones get their code, the rest are 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return fromDomainError(error);
  if (error instanceof HTTPException) {
    if (error.status === 400)
      return new ApiError('malformed_json', `the request body is not valid JSON: ${error.message}`);
    if (error.status === 415) {
      return new ApiError(
        'unsupported_media_type',
        'send the body as application/json (Content-Type: application/json)',
      );
    }
    if (error.status === 413) return new ApiError('payload_too_large');
    if (error.status === 401) return new ApiError('unauthorized');
    if (error.status === 404) return new ApiError('not_found');
    return new ApiError(error.status >= 500 ? 'internal' : 'bad_request', error.message, { cause: error });
  }
  return new ApiError('internal', undefined, { cause: error });
}

/** The app's `onError`: logs 5xx with their cause, answers problem+json. */
export function onError(error: unknown, c: Context<AppEnv>): Response {
  const apiError = toApiError(error);
  const requestId = c.get('requestId') ?? crypto.randomUUID();
  if (apiError.status >= 500) {
    c.get('services')?.logger.error('unhandled error', { requestId, error: apiError.cause ?? apiError });
  }
  return problemResponse(c, apiError, requestId);
}

export function problemResponse(c: Context<AppEnv>, apiError: ApiError, requestId: string): Response {
  const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE, 'X-Request-Id': requestId };
  if (apiError.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="lienthong"';
  if (apiError.headers) Object.assign(headers, apiError.headers);
  return new Response(JSON.stringify(toProblem(apiError, c.req.path, requestId)), {
    status: apiError.status,
    headers,
  });
}
