/**
 * SMS notices to the applicant (docs/sms.md): the events that send one, the operator's template file,
 * the frozen outbox payload, the provider's request and answers, and the opt-out API's shapes.
 */
import { z } from '@hono/zod-openapi';
import { text } from './text.js';

/** The events that send a notice; a dossier gets at most one notice per event. */
export const SMS_EVENTS = [
  'received',
  'supplement_requested',
  'resolved_counter',
  'resolved_postal',
  'returned',
  'postal_accepted',
] as const;
export type SmsEvent = (typeof SMS_EVENTS)[number];

export const SMS_ENCODINGS = ['gsm7', 'ucs2'] as const;
export type SmsEncoding = (typeof SMS_ENCODINGS)[number];

/** One template: Vietnamese text with `{code}` (the dossier code) and `{link}` (the lookup link). */
const template = z
  .string()
  .min(1)
  .max(1000)
  .refine((t) => t.includes('{code}'), { message: 'a template must contain {code}' })
  .refine((t) => !/[\p{Cc}\p{Cf}]/u.test(t), {
    message: 'a template must not contain control characters',
  });

/** The template file the operator edits (config/sms-templates.json): one template per event, no other keys. */
export const SmsTemplatesSchema = z.strictObject({
  received: template,
  supplement_requested: template,
  resolved_counter: template,
  resolved_postal: template,
  returned: template,
  /** Sent when the postal service accepts the return job: `{tracking}` is its S10 tracking number. */
  postal_accepted: template.refine((t) => t.includes('{tracking}'), {
    message: 'the postal_accepted template must contain {tracking}',
  }),
});
export type SmsTemplates = z.output<typeof SmsTemplatesSchema>;

/** What an SMS transfer carries, frozen at enqueue time. `to` is the only personal value. */
export const SmsPayloadSchema = z.object({
  to: z.string().regex(/^\+84[35789]\d{8}$/),
  text: z.string().min(1),
  encoding: z.enum(SMS_ENCODINGS),
  segments: z.number().int().positive(),
  event: z.enum(SMS_EVENTS),
  code: z.string(),
  /** The notice's own reference, given to the provider (idempotency on its side). */
  reference: z.string(),
});
export type SmsPayload = z.output<typeof SmsPayloadSchema>;

/** The provider's request body: `POST {SMS_PROVIDER_URL}/messages` (docs/sms.md). */
export const SmsProviderRequestSchema = z.object({
  to: z.string(),
  text: z.string(),
  encoding: z.enum(SMS_ENCODINGS),
  reference: z.string(),
});
export type SmsProviderRequest = z.output<typeof SmsProviderRequestSchema>;

/** The provider's 2xx answer. */
export const SmsProviderAcceptedSchema = z.object({ id: z.string().min(1) });

/** A provider answer, classified once by the adapter. */
export type SmsOutcome =
  | { kind: 'accepted'; providerId: string }
  /** 4xx other than 429: this message will never be accepted as it is. */
  | { kind: 'refused'; status: number; message: string }
  /** 5xx, 429, timeouts, refused connections: try again later. */
  | { kind: 'outage'; status?: number | undefined; retryAfterMs?: number | undefined; message: string };

/** `POST /v1/ops/sms/optouts` and the CLI: a phone number that must get no notice. */
export const SmsOptOutInputSchema = z
  .strictObject({
    phone: text(30).openapi({ example: '0912 345 678' }),
    note: text(200).optional().openapi({ description: 'Why, for the operators (no personal data)' }),
  })
  .openapi('SmsOptOutInput');

export const SmsOptOutSchema = z
  .object({
    id: z.string().openapi({ description: 'Keyed digest of the normalised number (the number is not kept)' }),
    hint: z.string().openapi({ description: 'The last three digits, masked: ***678' }),
    note: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .openapi('SmsOptOut');

export const SmsOptOutListSchema = z.object({ items: z.array(SmsOptOutSchema) }).openapi('SmsOptOutList');
