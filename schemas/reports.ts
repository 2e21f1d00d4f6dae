/** The agency report (docs/reports.md): the monthly or quarterly figures the provincial scoring uses. */
import { z } from '@hono/zod-openapi';
import { blankIsAbsent, checkAgencyId, zIdentifier } from './identifiers.js';

export const ReportQuerySchema = z
  .object({
    month: z
      .string()
      .refine((v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v), {
        message: 'month must be yyyy-MM, like 2026-11',
        params: { rule: 'month_format' },
      })
      .optional(),
    quarter: z
      .string()
      .refine((v) => /^\d{4}-Q[1-4]$/.test(v), {
        message: 'quarter must be yyyy-Qn, like 2026-Q4',
        params: { rule: 'quarter_format' },
      })
      .optional(),
    agency: blankIsAbsent(zIdentifier(checkAgencyId)),
  })
  .strict()
  .superRefine((q, ctx) => {
    if ((q.month === undefined) === (q.quarter === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [q.month === undefined ? 'month' : 'quarter'],
        message: 'give exactly one of month (yyyy-MM) or quarter (yyyy-Qn)',
        params: { rule: 'month_or_quarter' },
      });
    }
  });

const share = z.number().nullable().openapi({ description: 'From 0 to 1; null when nothing was counted' });

export const AgencyFiguresSchema = z
  .object({
    agency: z.object({ code: z.string(), name: z.string().nullable() }),
    received: z.number().int(),
    resolved: z.number().int(),
    resolvedEarly: z.number().int(),
    resolvedOnTime: z.number().int(),
    resolvedLate: z.number().int(),
    resolvedWithoutDue: z.number().int(),
    onTimeRate: share.openapi({ description: '(early + on time) / resolved with a due date' }),
    overdueInProgress: z.number().int(),
    supplementRequests: z.number().int(),
    rejections: z.number().int(),
    withdrawn: z.number().int(),
    postalReturns: z.number().int(),
    online: z.number().int(),
    onlineShare: share,
    digitised: z.number().int(),
    digitisedShare: share,
    averageWorkingDaysToResolve: z.number().nullable(),
  })
  .openapi('AgencyFigures');

export const AgencyReportSchema = z
  .object({
    period: z.object({
      kind: z.enum(['month', 'quarter']),
      name: z.string(),
      from: z.string(),
      to: z.string().openapi({ description: 'End of the period (exclusive)' }),
      asOf: z.string().openapi({ description: 'The end, or now when the period is current' }),
      current: z.boolean(),
    }),
    agencies: z.array(AgencyFiguresSchema),
  })
  .openapi('AgencyReport');
