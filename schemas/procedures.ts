/**
 * The procedure catalogue the operator keeps (config/procedures.json, PROCEDURES_PATH): each
 * procedure's code, name and legal duration in working days (docs/deadlines.md, Procedure catalogue).
 */
import { z } from 'zod';
import { checkProcedureCode } from './identifiers.js';

const ProcedureSchema = z
  .object({
    code: z
      .string()
      .refine((v) => checkProcedureCode(v).ok, { message: 'not a procedure code (like 1.004227)' }),
    name: z.string().trim().min(1).max(500),
    workingDays: z.number().int().min(0).max(365),
    source: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

export const ProcedureCatalogueSchema = z
  .object({
    $comment: z.string().optional(),
    procedures: z.array(ProcedureSchema).max(20_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.procedures.forEach((p, i) => {
      if (seen.has(p.code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['procedures', i, 'code'],
          message: `${p.code} is listed twice`,
        });
      }
      seen.add(p.code);
    });
  });
export type ProcedureCatalogueFile = z.output<typeof ProcedureCatalogueSchema>;
