/** Shared pieces of route declarations: problem responses, the security scheme, common headers. */
import { z } from '@hono/zod-openapi';
import { ProblemSchema } from '../../schemas/problem.js';
import { PROBLEM_CONTENT_TYPE } from './errors.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed or malformed JSON',
  401: 'Missing, unknown or revoked API key',
  403: 'Outside this client’s role or agencies',
  404: 'Not found',
  409: 'Conflict with the current state (illegal transition, concurrent idempotent retry, immutable code)',
  413: 'Body over the size limit',
  415: 'Body is not application/json',
  422: 'Idempotency-Key reused with a different body, or the request cannot be processed',
  500: 'Internal error (no internals disclosed)',
  503: 'Storage unavailable (disk full, I/O error): nothing was written; retry after Retry-After seconds',
};

/**
 * Problem responses for the given statuses, for a route's `responses`. Every route that may answer 500
 * may also answer 503 `storage_unavailable` (docs/api-errors.md).
 */
export function problems(...statuses: number[]) {
  const all = statuses.includes(500) && !statuses.includes(503) ? [...statuses, 503] : statuses;
  return Object.fromEntries(
    all.map((s) => [
      s,
      {
        description: DESCRIPTIONS[s] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  );
}

export const WRITE_PROBLEMS = [400, 401, 403, 409, 413, 415, 422, 500] as const;

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({
    description: 'Retry-safe key: the same key and body return the stored answer',
    example: '8f2c3e0a-…',
  }),
});

export const SECURITY = [{ bearer: [] }];
