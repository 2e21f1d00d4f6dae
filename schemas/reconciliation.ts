/** Reconciliation runs, findings and the log as the operators' API shows them (docs/reconciliation.md). */
import { z } from '@hono/zod-openapi';
import { blankIsAbsent, checkAgencyId, zIdentifier, zInstant, zToken } from './identifiers.js';

export const FINDING_KINDS = [
  'missing_at_portal',
  'status_mismatch',
  'stuck_transfer',
  'dead_transfer',
  'overdue',
  'near_due',
  'postal_stalled',
  'delivery_failed',
  'review_waiting',
  'postal_returned_to_sender',
  'postal_cancelled',
] as const;

const limit = z.coerce.number().int().min(1).max(500).default(100);
const cursor = z.coerce
  .number()
  .int()
  .min(0)
  .optional()
  .openapi({ description: 'Cursor: the last id of the previous page' });

export const StartRunSchema = z
  .object({
    from: zInstant().optional().openapi({
      description: 'Compare dossiers changed at or after (default: the end of the last full run)',
    }),
    to: zInstant().optional().openapi({ description: 'and before (default: now)' }),
  })
  .strict()
  .openapi('StartReconciliationRun');

export const RunSchema = z
  .object({
    id: z.string(),
    trigger: z.enum(['schedule', 'operator']),
    state: z.enum(['running', 'completed', 'failed']),
    period: z.object({ from: z.string(), to: z.string() }),
    portal: z.enum(['compared', 'partial', 'not_compared']).openapi({
      description:
        'compared: every dossier of the period was looked up; partial: the portal failed part way; not_compared: the portal could not be asked (outage, open circuit, no portal)',
    }),
    portalReason: z.string().nullable(),
    dossiersCompared: z.number().int(),
    dossiersSkipped: z
      .number()
      .int()
      .openapi({ description: 'Not compared: a portal transfer not delivered yet, or a refused look-up' }),
    opened: z.record(z.string(), z.number().int()).openapi({ description: 'Findings opened, per kind' }),
    closed: z.record(z.string(), z.number().int()).openapi({ description: 'Findings closed, per kind' }),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('ReconciliationRun');

export const RunParamsSchema = z.object({ id: zToken('id_format', 100) });

export const FindingQuerySchema = z
  .object({
    kind: blankIsAbsent(z.enum(FINDING_KINDS)),
    agency: blankIsAbsent(zIdentifier(checkAgencyId)),
    open: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === 'true'))
      .openapi({ description: 'true: open only, false: closed only; absent: both' }),
    limit,
    after: cursor,
  })
  .strict();

export const FindingSchema = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    subject: z.string(),
    dossierId: z.string().nullable(),
    agency: z.string().nullable(),
    transferId: z.number().int().nullable(),
    jobId: z.string().nullable(),
    reviewId: z.string().nullable(),
    detail: z.string(),
    open: z.boolean(),
    openedAt: z.string(),
    closedAt: z.string().nullable().openapi({ description: 'When its condition cleared' }),
    openedByRun: z.string().nullable(),
    closedByRun: z.string().nullable(),
  })
  .openapi('Finding');

export const FindingListSchema = z
  .object({ items: z.array(FindingSchema), nextAfter: z.number().int().nullable() })
  .openapi('FindingList');

export const LogQuerySchema = z
  .object({
    since: blankIsAbsent(z.union([z.string().regex(/^\d{1,15}$/), zInstant()])).openapi({
      description:
        'An entry id (digits: the entries after it) or an instant with an offset (entries at or after it)',
    }),
    kind: blankIsAbsent(zToken('system_name_format', 60)).openapi({ description: 'e.g. finding.opened' }),
    dossier: blankIsAbsent(zToken('id_format', 100)),
    limit,
    after: cursor,
  })
  .strict();

export const LogEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    kind: z.string(),
    actor: z.string(),
    dossierId: z.string().nullable(),
    transferId: z.number().int().nullable(),
    data: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('LogEntry');

export const LogPageSchema = z
  .object({ items: z.array(LogEntrySchema), nextAfter: z.number().int().nullable() })
  .openapi('LogPage');

export const VerificationSchema = z
  .object({
    id: z.number().int(),
    verifiedAt: z.string(),
    ok: z.boolean(),
    entries: z.number().int().openapi({ description: 'Entries whose chain verified' }),
    reason: z
      .string()
      .nullable()
      .openapi({ description: 'Why it failed: the broken entry or the failing checkpoint' }),
    anchored: z.boolean().openapi({ description: 'Whether checkpoints were checked (a key is configured)' }),
    lastAnchored: z
      .object({
        entryId: z.number().int(),
        entryAt: z.string().nullable(),
        checkpoint: z.number().int(),
        signedAt: z.string(),
      })
      .nullable(),
    unanchored: z.number().int().nullable(),
  })
  .openapi('LogVerification');

export const LastVerificationSchema = z
  .object({ last: VerificationSchema.nullable() })
  .openapi('LastLogVerification');
