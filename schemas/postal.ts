/**
 * The postal service's pull API and its jobs (docs/postal.md): what a postal client sends and receives,
 * the job's stored delivery data, and the operators' job list. A job carries only what delivery needs.
 */
import { z } from '@hono/zod-openapi';
import { AddressSchema } from './dossier.js';
import { checkAgencyId, checkS10, zIdentifier, zInstant, zToken } from './identifiers.js';
import { text } from './text.js';

export const JOB_KINDS = ['return', 'collect'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = [
  'open',
  'leased',
  'accepted',
  'delivered',
  'returned_to_sender',
  'handed_over',
  'cancelled',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export const EVENT_TYPES = [
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'delivery_failed',
  'returned_to_sender',
  'handed_over',
  'cancelled',
] as const;
export type PostalEventType = (typeof EVENT_TYPES)[number];

/** The event types each kind of job takes (docs/postal.md, events and their effects). */
export const EVENTS_OF: Record<JobKind, readonly PostalEventType[]> = {
  return: [
    'picked_up',
    'in_transit',
    'out_for_delivery',
    'delivered',
    'delivery_failed',
    'returned_to_sender',
    'cancelled',
  ],
  collect: ['picked_up', 'handed_over', 'cancelled'],
};

const SenderSchema = z
  .object({ name: z.string(), address: z.string().optional(), phone: z.string().optional() })
  .openapi('PostalSender');

const ReceiverSchema = z
  .object({ name: z.string(), phone: z.string().optional(), address: AddressSchema })
  .openapi('PostalReceiver');

/** What a job stores as its delivery data (the `payload` column). */
export const JobPayloadSchema = z.object({
  sender: SenderSchema,
  receiver: ReceiverSchema,
  contents: z.array(z.string()),
  codAmount: z.number().int().min(0),
  note: z.string().nullable(),
});
export type JobPayload = z.output<typeof JobPayloadSchema>;

export const LeaseSchema = z.object({ token: z.string(), expiresAt: z.string() }).openapi('PostalLease');

export const JobSchema = JobPayloadSchema.extend({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  orderNumber: z.string().openapi({ description: 'The dossier code' }),
  createdAt: z.string(),
  dueBy: z.string(),
  state: z.enum(JOB_STATES),
  trackingNumber: z.string().nullable(),
  lease: LeaseSchema.nullable().openapi({ description: 'Present while this client holds the lease' }),
}).openapi('PostalJob');
export type Job = z.output<typeof JobSchema>;

export const ClaimSchema = z
  .object({
    limit: z.number().int().min(1).max(100).default(20),
    kinds: z.array(z.enum(JOB_KINDS)).min(1).max(2).default(['return', 'collect']),
    leaseSeconds: z.number().int().min(10).max(3600).default(300),
  })
  .strict()
  .openapi('PostalClaim');

export const ClaimResultSchema = z.object({ jobs: z.array(JobSchema) }).openapi('PostalClaimResult');

export const AcceptSchema = z
  .object({
    leaseToken: z.string().min(1).max(200),
    trackingNumber: zIdentifier(checkS10).openapi({ example: 'EB123456785VN' }),
  })
  .strict()
  .openapi('PostalAccept');

export const ReleaseSchema = z
  .object({ leaseToken: z.string().min(1).max(200) })
  .strict()
  .openapi('PostalRelease');

export const PostalEventInputSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    at: zInstant().openapi({ example: '2027-01-10T14:05:00+07:00' }),
    recipientName: text(200).optional().openapi({ description: 'Who took the item (delivered)' }),
    reason: text(500).optional().openapi({ description: 'Why (delivery_failed, cancelled)' }),
  })
  .strict()
  .openapi('PostalEventInput');
export type PostalEventInput = z.output<typeof PostalEventInputSchema>;

export const PostalEventResultSchema = z
  .object({
    outcome: z.enum(['applied', 'recorded_only', 'duplicate']),
    job: JobSchema,
  })
  .openapi('PostalEventResult');

export const JobIdParamSchema = z.object({
  id: zToken('id_format', 100).openapi({ param: { name: 'id', in: 'path' } }),
});

/** The operators' view of a job: its state and references, not the receiver. */
export const OpsJobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(JOB_KINDS),
    state: z.enum(JOB_STATES),
    dossierId: z.string(),
    orderNumber: z.string(),
    agency: z.string(),
    trackingNumber: z.string().nullable(),
    failedDeliveries: z.number().int(),
    createdAt: z.string(),
    dueBy: z.string(),
    updatedAt: z.string(),
  })
  .openapi('PostalOpsJob');

export const OpsJobQuerySchema = z
  .object({
    state: z.enum(JOB_STATES).optional(),
    kind: z.enum(JOB_KINDS).optional(),
    agency: zIdentifier(checkAgencyId).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page' }),
  })
  .strict();

export const OpsJobListSchema = z
  .object({ items: z.array(OpsJobSchema), nextCursor: z.string().nullable() })
  .openapi('PostalOpsJobList');
