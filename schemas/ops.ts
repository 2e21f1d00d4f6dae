/** Operator views of the outbox: transfers, dead letters, replays, destination health. */
import { z } from '@hono/zod-openapi';
import { checkAgencyId, zIdentifier, zInstant, zToken } from './identifiers.js';

export const TRANSFER_STATES = [
  'held',
  'pending',
  'in_flight',
  'delivered',
  'dead',
  'cancelled',
  'blocked',
] as const;

const isoInstant = zInstant();

export const TransferFilterSchema = z.object({
  destination: zToken('system_name_format', 50).optional(),
  agency: zIdentifier(checkAgencyId).optional(),
  dossierId: zToken('id_format', 100).optional(),
  from: isoInstant.optional().openapi({ description: 'Queued at or after' }),
  to: isoInstant.optional().openapi({ description: 'Queued before' }),
});

export const TransferQuerySchema = TransferFilterSchema.extend({
  state: z.enum(TRANSFER_STATES).default('dead').openapi({
    description: 'blocked: pending transfers waiting behind a dead one of the same dossier',
  }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'Cursor: the last id of the previous page' }),
}).strict();

export const TransferSchema = z
  .object({
    id: z.number().int(),
    destination: z.string(),
    kind: z.string(),
    dossierId: z.string(),
    dossierCode: z.string().nullable(),
    agency: z.string().nullable(),
    seq: z.number().int(),
    idempotencyKey: z.string(),
    state: z.string(),
    blocked: z.boolean().openapi({ description: 'Waiting behind a dead transfer of the same dossier' }),
    attempts: z.number().int(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Transfer');

export const TransferListSchema = z
  .object({ items: z.array(TransferSchema), nextAfter: z.number().int().nullable() })
  .openapi('TransferList');

export const ReplaySchema = z
  .object({
    ids: z.array(z.number().int().positive()).max(10_000).optional(),
    filter: TransferFilterSchema.optional(),
  })
  .refine((r) => r.ids !== undefined || r.filter !== undefined, {
    message: 'give ids or a filter',
    params: { rule: 'ids_or_filter' },
  })
  .openapi('ReplayRequest');

export const ReplayResultSchema = z.object({ replayed: z.number().int() }).openapi('ReplayResult');

/** One destination's queue and circuit. */
const DestinationHealthSchema = z.object({
  name: z.string(),
  circuit: z.enum(['closed', 'open', 'half_open']),
  pending: z.number().int(),
  held: z.number().int(),
  oldestPendingAgeMs: z.number().int().nullable(),
  dead: z.number().int(),
  blocked: z.number().int(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  alert: z.string().nullable(),
});

/** A departmental destination's health: its forwarding backlog and, when polled, its feed's cursor. */
const DepartmentHealthSchema = DestinationHealthSchema.extend({
  pull: z
    .object({
      changes: z.number().int().openapi({ description: 'Changes taken in from its feed so far' }),
      badChanges: z.number().int().openapi({ description: 'Changes recorded as bad and skipped' }),
      lastPolledAt: z.string().nullable(),
      lastMovedAt: z.string().nullable().openapi({ description: 'When the cursor last moved' }),
      lastError: z.string().nullable(),
      lastErrorAt: z.string().nullable(),
    })
    .nullable()
    .openapi({ description: 'The poller of its change feed (docs/departments.md, Pull); null: not polled' }),
});

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'alert']),
    destinations: z.array(DestinationHealthSchema),
    reviewsPending: z.number().int(),
    sms: DestinationHealthSchema.openapi({
      description:
        "The SMS backlog (docs/sms.md): notices pending (including those held until the quiet hours end), the oldest one's age, dead letters, the provider circuit",
    }),
    departments: z.array(DepartmentHealthSchema).openapi({
      description:
        'Each registered departmental destination (docs/departments.md): forwarding backlog, oldest pending age, circuit, dead letters, and its poller',
    }),
    postal: z.object({
      oldestUnclaimedJobAgeMs: z.number().int().nullable().openapi({
        description: 'Age of the oldest postal job no postal client holds (open, or its lease ran out)',
      }),
      openFindings: z.number().int().openapi({
        description: 'Postal findings still open (failed deliveries, returns to sender, cancellations)',
      }),
    }),
  })
  .openapi('Health');
