/**
 * Forwarding to departmental software (docs/departments.md): the canonical dossier and status event as
 * they are frozen in the outbox for a departmental destination, and the admin API's destination shapes.
 * The wire format of each department is its profile's business (`mappings/departments/`).
 */
import { z } from '@hono/zod-openapi';
import { APPLICANT_TYPES, CHANNELS, STATUSES } from './dossier.js';
import { checkAgencyId, zIdentifier, zToken } from './identifiers.js';
import { text } from './text.js';

/** An instant in the canonical `yyyy-MM-ddTHH:mm:ss+07:00` form, to the second. */
const vnInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

/** What a department receives of a dossier: the fields its software keys in, nothing else. */
export const ForwardedDossierSchema = z.object({
  code: z.string().min(1).max(100),
  agency: z.object({ code: z.string().min(1), name: z.string().min(1) }),
  procedure: z.object({ code: z.string().min(1), name: z.string().min(1) }),
  applicant: z.object({
    type: z.enum(APPLICANT_TYPES),
    fullName: z.string().min(1),
    idNumber: z.string().min(1).optional(),
    phone: z.string().min(1).optional(),
    address: z.string().min(1).optional(),
  }),
  summary: z.string().min(1).optional(),
  channel: z.enum(CHANNELS),
  receivedAt: vnInstant,
  dueAt: vnInstant.optional(),
  status: z.enum(STATUSES),
});
export type ForwardedDossier = z.infer<typeof ForwardedDossierSchema>;

/** A status step forwarded to a department that already holds the dossier. */
export const ForwardedEventSchema = z.object({
  status: z.enum(STATUSES),
  at: vnInstant,
  note: z.string().min(1).optional(),
});
export type ForwardedEvent = z.infer<typeof ForwardedEventSchema>;

/** The frozen outbox payload of a departmental destination. */
export const DepartmentPayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dossier'), dossier: ForwardedDossierSchema }),
  z.object({ kind: z.literal('event'), code: z.string().min(1), event: ForwardedEventSchema }),
]);
export type DepartmentPayload = z.infer<typeof DepartmentPayloadSchema>;

/** A destination as an admin registers it; the credentials are written once and never shown. */
export const DestinationInputSchema = z
  .object({
    system: zToken('system_name_format', 64).openapi({ example: 'land-registry' }),
    profile: zToken('system_name_format', 64).openapi({
      description: 'The mapping profile (mappings/departments/<profile>.ts)',
      example: 'land-registry',
    }),
    baseUrl: z
      .string()
      .max(500)
      .url()
      .refine((u) => /^https?:\/\//.test(u), { message: 'an http or https URL' })
      .openapi({ example: 'https://vbd.example.vn' }),
    credentials: text(500).openapi({ description: 'Token or user:password, by the profile; write-only' }),
    agencies: z.array(zIdentifier(checkAgencyId)).min(1).max(500),
    pull: z.boolean().default(false).openapi({
      description:
        "Poll the system's change feed (its profile needs a poll section: docs/departments.md, Pull)",
    }),
  })
  .strict()
  .openapi('DestinationInput');
export type DestinationInput = z.infer<typeof DestinationInputSchema>;

/** A destination as the API and CLI show it: no credentials. */
export const DestinationSchema = z
  .object({
    system: z.string(),
    profile: z.string(),
    baseUrl: z.string(),
    agencies: z.array(z.string()),
    pull: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Destination');
export type DestinationView = z.infer<typeof DestinationSchema>;

export const DestinationListSchema = z
  .object({ items: z.array(DestinationSchema) })
  .openapi('DestinationList');

/** How a departmental system answered one call, classified once in its adapter. */
export type DepartmentOutcome =
  | { kind: 'accepted'; answer: unknown }
  | {
      kind: 'refused';
      status: number;
      message: string;
      /** The dead letter's code when it is not the HTTP status (`bad_answer`). */
      code?: string | undefined;
    }
  | { kind: 'outage'; status?: number | undefined; retryAfterMs?: number | undefined; message: string };

/** The transports a profile may name (`mappings/departments/profile.ts`). */
export type DepartmentTransport = 'rest-json' | 'rest-xml' | 'soap';

/** One call to a departmental system: where, with which credentials, and the mapped body. */
export interface DepartmentCall {
  /** The profile's transport: which adapter sends the call (docs/departments.md, Transports). */
  transport: DepartmentTransport;
  /** REST: the base URL; SOAP: the service's endpoint, its WSDL at `{baseUrl}?wsdl`. */
  baseUrl: string;
  /** The profile's auth scheme and, for scheme `header`, the header's name. */
  auth: { scheme: string; header?: string | undefined };
  credentials: string;
  /** REST: the path after the base URL; SOAP: the operation's name. */
  path: string;
  /** REST + XML: the body's root element. */
  root?: string | undefined;
  body: Record<string, string>;
}

/** One read of a departmental change feed (docs/departments.md, Pull): where, credentials, the query. */
export interface FeedCall {
  baseUrl: string;
  auth: { scheme: string; header?: string | undefined };
  credentials: string;
  path: string;
  query: Record<string, string>;
}

/** How the feed answered, classified once in its adapter: a JSON answer, or why there is none. */
export type FeedOutcome =
  | { kind: 'answered'; answer: unknown }
  | { kind: 'failed'; status?: number | undefined; message: string };
