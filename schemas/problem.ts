/** RFC 9457 problem details, as every error of the API is answered. */
import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().openapi({ description: 'Stable machine-readable error code' }),
    requestId: z.string(),
    errors: z
      .array(z.object({ path: z.string(), rule: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Every failing field, with the rule it broke' }),
  })
  .catchall(z.unknown())
  .openapi('Problem');
