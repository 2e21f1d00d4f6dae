/** API clients and their roles. */
import { z } from '@hono/zod-openapi';
import { checkAgencyId, zIdentifier, zToken } from './identifiers.js';
import { text } from './text.js';

export const ROLES = ['department', 'postal', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ClientInputSchema = z
  .object({
    name: text(200),
    role: z.enum(ROLES),
    system: zToken('system_name_format', 64).optional().openapi({
      description: 'Source system name; required for the department role',
      example: 'motcua-bacninh',
    }),
    agencies: z
      .array(zIdentifier(checkAgencyId))
      .max(500)
      .default([])
      .openapi({ description: 'Agency ids a department client may push and read' }),
  })
  .superRefine(
    (input, ctx) => {
      // Runs even when a field failed, so one answer names every problem.
      const c = input as { role?: unknown; system?: unknown; agencies?: unknown };
      const agencies = Array.isArray(c.agencies) ? c.agencies : [];
      if (c.role === 'department') {
        if (!c.system) {
          ctx.addIssue({
            code: 'custom',
            path: ['system'],
            message: 'a department client is bound to one source system',
            params: { rule: 'department_needs_system' },
          });
        }
        if (agencies.length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['agencies'],
            message: 'a department client needs at least one agency id',
            params: { rule: 'department_needs_agency' },
          });
        }
      } else if (c.system || agencies.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: [c.system ? 'system' : 'agencies'],
          message: `system and agencies apply to department clients only, not to role ${String(c.role)}`,
          params: { rule: 'scope_only_for_department' },
        });
      }
    },
    { when: (p) => typeof p.value === 'object' && p.value !== null },
  )
  .openapi('ClientInput');
export type ClientInput = z.output<typeof ClientInputSchema>;

export const ClientSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    system: z.string().nullable(),
    agencies: z.array(z.string()),
    keyPrefix: z
      .string()
      .openapi({ description: 'First characters of the key, to recognise it; never the key' }),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('Client');
export type Client = z.output<typeof ClientSchema>;

export const CreatedClientSchema = ClientSchema.extend({
  key: z.string().openapi({ description: 'The API key: shown once, stored only as a hash' }),
}).openapi('CreatedClient');
