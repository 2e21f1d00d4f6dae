/** Operator views of deadlines (docs/deadlines.md): the near-due and overdue lists, JSON and CSV. */
import { z } from '@hono/zod-openapi';
import { blankIsAbsent, checkAgencyId, zIdentifier } from './identifiers.js';

export const DeadlineFilterSchema = z
  .object({
    state: z.enum(['near_due', 'overdue']).optional().openapi({
      description:
        'near_due: due today or within withinWorkingDays working days; overdue: due day passed. Both when absent',
    }),
    agency: blankIsAbsent(zIdentifier(checkAgencyId)),
    withinWorkingDays: z.coerce.number().int().min(0).max(60).default(2).openapi({
      description: 'The near-due threshold in working days (docs/deadlines.md)',
    }),
  })
  .strict();

export const DeadlineQuerySchema = DeadlineFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional().openapi({ description: 'The nextCursor of the previous page' }),
}).strict();

export const DeadlineItemSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    state: z.enum(['near_due', 'overdue']),
    status: z.string(),
    procedure: z.object({ code: z.string(), name: z.string().nullable() }),
    agency: z.object({ code: z.string(), name: z.string().nullable() }),
    applicantName: z.string().nullable(),
    receivedAt: z.string(),
    dueAt: z.string(),
    workingDaysLeft: z.number().int().openapi({
      description: 'Working days from today to the due day; negative: working days late',
    }),
  })
  .openapi('DeadlineItem');

export const DeadlineListSchema = z
  .object({
    items: z.array(DeadlineItemSchema),
    nextCursor: z.string().nullable(),
    asOf: z.string().openapi({ description: 'The instant the states were computed at' }),
  })
  .openapi('DeadlineList');
