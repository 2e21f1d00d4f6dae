/** Field errors from zod issues: every one names a path and a rule. */
import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../src/http/problem.js';

describe('fieldErrors', () => {
  it('names an unknown member, even one whose name is empty', () => {
    const parsed = z.object({ a: z.string() }).strict().safeParse({ a: 'x', '': 1, typo: 2 });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(fieldErrors(parsed.error, 'query')).toEqual([
      { path: 'query.""', rule: 'unknown_parameter', message: '"" is not a parameter of this route' },
      { path: 'query.typo', rule: 'unknown_parameter', message: 'typo is not a parameter of this route' },
    ]);
  });
});
