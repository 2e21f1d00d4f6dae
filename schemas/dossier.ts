/**
 * The canonical dossier: the one shape every source is mapped to and every destination is mapped from.
 * Inputs are validated here (field by field, with a named rule per failure); identifiers come out in
 * their normal form. JSON Schema and OpenAPI are generated from these schemas, never written by hand.
 */
import { z } from '@hono/zod-openapi';
import {
  checkAgencyId,
  checkDossierCode,
  checkIdNumber,
  checkPhone,
  checkProcedureCode,
  type IdKind,
  inferIdKind,
  zIdentifier,
  zInstant,
  zToken,
} from './identifiers.js';
import { longText, text } from './text.js';

/** Canonical statuses, in the portal's code order (TrangThaiHoSo 1…10). */
export const STATUSES = [
  'submitted',
  'received',
  'rejected',
  'processing',
  'supplement_requested',
  'payment_requested',
  'withdrawn',
  'suspended',
  'resolved',
  'returned',
] as const;
export type DossierStatus = (typeof STATUSES)[number];

export const APPLICANT_TYPES = ['citizen', 'business', 'agency', 'organization'] as const;
export const CHANNELS = ['counter', 'online', 'postal'] as const;
export const RETURN_METHODS = ['counter', 'postal'] as const;
/** How the applicant paid online: on the national portal, or through the province's or ministry's own gateway. */
export const ONLINE_PAYMENTS = ['national_portal', 'local_gateway'] as const;
export const ID_KINDS = ['cccd', 'cmnd', 'mst', 'passport'] as const satisfies readonly IdKind[];

/** Cross-field checks run even when a field failed, so one answer lists every problem. */
const ALWAYS = { when: (p: { value: unknown }) => typeof p.value === 'object' && p.value !== null };

function isIdKind(value: unknown): value is IdKind {
  return typeof value === 'string' && (ID_KINDS as readonly string[]).includes(value);
}

const isoDateTime = zInstant().openapi({
  example: '2026-11-28T08:30:00+07:00',
  description: 'ISO 8601 with an offset',
});

export const StatusSchema = z.enum(STATUSES).openapi('DossierStatus');

export const CodeNameSchema = z.object({ code: zToken('code_format', 50), name: text(500) });

export const AddressSchema = z
  .object({
    line: text(500).optional().openapi({ description: 'Street line: house number, street, hamlet' }),
    communeCode: z
      .string()
      .trim()
      .refine((v) => /^\d{5}$/.test(v), {
        message: 'commune code must be 5 digits',
        params: { rule: 'commune_code_format' },
      })
      .optional(),
    provinceCode: z
      .string()
      .trim()
      .refine((v) => /^\d{2}$/.test(v), {
        message: 'province code must be 2 digits',
        params: { rule: 'province_code_format' },
      })
      .optional(),
    original: text(1000).optional().openapi({
      description: 'The address as first written, kept when it came in the old three-level form',
    }),
  })
  .superRefine((a, ctx) => {
    if (!a.communeCode && !a.original && !a.line) {
      ctx.addIssue({
        code: 'custom',
        path: ['communeCode'],
        message: 'an address needs a commune code, a street line or the original text',
        params: { rule: 'address_incomplete' },
      });
    }
  })
  .openapi('Address');
export type Address = z.output<typeof AddressSchema>;

export const ApplicantInputSchema = z
  .object({
    type: z.enum(APPLICANT_TYPES),
    fullName: text(200),
    idNumber: z.string().trim().min(1).max(30).optional(),
    idKind: z.enum(ID_KINDS).optional().openapi({ description: 'Inferred from the number when absent' }),
    phone: zIdentifier(checkPhone)
      .optional()
      .openapi({ example: '0912 345 678', description: 'Stored as E.164' }),
    email: z.email().max(200).optional(),
    address: AddressSchema.optional(),
    portalAccountId: zToken('record_id_format', 100)
      .optional()
      .openapi({ description: "The applicant's account id on the national portal (online dossiers)" }),
    vneidVerified: z
      .boolean()
      .optional()
      .openapi({ description: "Whether the applicant's portal account is verified with VNeID" }),
  })
  .superRefine((a, ctx) => {
    // Runs even when sibling fields failed, so every bad field is reported in one answer.
    const v = a as { idNumber?: unknown; idKind?: unknown };
    if (typeof v.idNumber !== 'string') return;
    const kind = isIdKind(v.idKind) ? v.idKind : inferIdKind(v.idNumber);
    if (!kind) {
      ctx.addIssue({
        code: 'custom',
        path: ['idNumber'],
        message: 'not a CCCD (12 digits), CMND (9 digits), MST (10 or 13 digits) or passport number',
        params: { rule: 'id_number_kind' },
      });
      return;
    }
    const checked = checkIdNumber(kind, v.idNumber);
    if (!checked.ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['idNumber'],
        message: checked.message,
        params: { rule: checked.rule },
      });
    }
  }, ALWAYS)
  .transform((a) => {
    if (a.idNumber === undefined) return { ...a, idNumber: undefined, idKind: undefined };
    const kind = a.idKind ?? inferIdKind(a.idNumber) ?? 'passport';
    const checked = checkIdNumber(kind, a.idNumber);
    return { ...a, idNumber: checked.ok ? checked.value : a.idNumber, idKind: kind };
  });

const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const DocumentSchema = z
  .object({
    name: text(500),
    componentCode: zToken('code_format', 50).optional(),
    sha256: z
      .string()
      .trim()
      .refine((v) => /^[0-9a-fA-F]{64}$/.test(v), {
        message: 'sha256 must be 64 hex digits',
        params: { rule: 'sha256_format' },
      })
      .transform((v) => v.toLowerCase())
      .optional(),
    digitized: z.boolean().default(false),
    url: httpUrl.optional(),
    id: zToken('record_id_format', 200)
      .optional()
      .openapi({ description: "The source system's id of the file; its sha256 stands in when absent" }),
    deleted: z.boolean().optional().openapi({ description: 'The file was withdrawn from the dossier' }),
    reused: z.boolean().optional().openapi({
      description: 'The file was reused from data the state already holds instead of being submitted again',
    }),
    reusedResultCode: zToken('code_format', 100).optional().openapi({
      description:
        'The code of an earlier digitised result reused in place of this document (implies reused)',
    }),
    fromNationalStore: z
      .boolean()
      .optional()
      .openapi({ description: "The file was taken from the national portal's document store" }),
  })
  .superRefine((d, ctx) => {
    if (d.reused === false && d.reusedResultCode !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['reusedResultCode'],
        message: 'a reused result code says the document was reused, but reused is false',
        params: { rule: 'reused_result_code' },
      });
    }
  })
  .openapi('Document');

/** A result document the agency issued (the decision, licence or certificate the applicant receives). */
export const ResultDocumentSchema = z
  .object({
    name: text(500),
    componentCode: zToken('code_format', 50).optional(),
    documentId: zToken('record_id_format', 200)
      .optional()
      .openapi({ description: "The issuing system's id of the result document" }),
    url: httpUrl.optional(),
    resultCode: zToken('code_format', 100)
      .optional()
      .openapi({ description: 'The result code (number or catalogue code of the issued paper)' }),
  })
  .openapi('ResultDocument');

export const FeeSchema = z
  .object({
    code: zToken('code_format', 50).optional(),
    name: text(500),
    amount: z.number().int().min(0).max(1_000_000_000_000).openapi({ description: 'VND, integer' }),
    paid: z
      .boolean()
      .optional()
      .openapi({ description: 'Whether the fee has been paid (not sent to the portal)' }),
  })
  .openapi('Fee');

export const OfficerSchema = z
  .object({ name: text(200), title: text(200).optional(), unit: text(300).optional() })
  .openapi('Officer');

const SourceInputSchema = z.object({
  system: zToken('system_name_format', 64)
    .optional()
    .openapi({ description: 'Must match the calling client; taken from it when absent' }),
  recordId: zToken('record_id_format', 200).openapi({ description: "The pushing system's own record id" }),
});

/** The agency a dossier is lodged with (its id in the national catalogue, and its name). */
export const AgencySchema = z.object({
  code: zIdentifier(checkAgencyId).openapi({ example: '000.00.15.H24' }),
  name: text(500),
});

/** An operator moves a dossier to another agency (`POST /v1/ops/dossiers/{id}/agency`). */
export const AgencyMoveSchema = z.object({ agency: AgencySchema }).openapi('AgencyMove');

function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What a departmental system pushes to `POST /v1/dossiers`. */
export const DossierInputSchema = z
  .object({
    source: SourceInputSchema,
    code: zIdentifier(checkDossierCode)
      .optional()
      .openapi({ example: '000.00.15.H24-261128-0001', description: 'Issued by the gateway when absent' }),
    procedure: z.object({
      code: zIdentifier(checkProcedureCode).openapi({ example: '1.004227' }),
      name: text(500),
    }),
    sector: CodeNameSchema.optional(),
    agency: AgencySchema,
    applicant: ApplicantInputSchema,
    summary: longText(2000).optional(),
    channel: z.enum(CHANNELS),
    submittedAt: isoDateTime
      .optional()
      .openapi({ description: 'When the applicant submitted the dossier (online), before reception' }),
    submissionPlace: text(500)
      .optional()
      .openapi({ description: 'Where the dossier was submitted (free code or text; sent as is)' }),
    receivedAt: isoDateTime,
    dueAt: isoDateTime
      .optional()
      .openapi({ description: 'The appointed return date; absent when the procedure has none' }),
    resolvedAt: isoDateTime.optional(),
    returnedAt: isoDateTime.optional(),
    rejectedAt: isoDateTime.optional(),
    status: StatusSchema.default('received'),
    resultReturn: z
      .object({ method: z.enum(RETURN_METHODS), address: AddressSchema.optional() })
      .default({ method: 'counter' }),
    documents: z.array(DocumentSchema).max(200).default([]),
    fees: z.array(FeeSchema).max(50).default([]),
    onlinePayment: z.enum(ONLINE_PAYMENTS).optional().openapi({
      description: 'Paid online: national_portal (on the national portal) or local_gateway (own gateway)',
    }),
    nationalDatabases: z
      .array(zToken('code_format', 50))
      .max(50)
      .optional()
      .openapi({ description: 'Codes of the national databases consulted for this dossier' }),
    results: z.array(ResultDocumentSchema).max(200).optional(),
    note: longText(2000).optional(),
  })
  .superRefine((input, ctx) => {
    const d = input as {
      receivedAt?: unknown;
      dueAt?: unknown;
      submittedAt?: unknown;
      resultReturn?: unknown;
      applicant?: unknown;
    };
    const received = instant(d.receivedAt);
    const due = instant(d.dueAt);
    // No due date is fine at any status: some procedures have none (docs/domain.md).
    if (received !== undefined && due !== undefined && due < received) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueAt'],
        message: 'dueAt is earlier than receivedAt',
        params: { rule: 'due_after_received' },
      });
    }
    const submitted = instant(d.submittedAt);
    if (received !== undefined && submitted !== undefined && submitted > received) {
      ctx.addIssue({
        code: 'custom',
        path: ['submittedAt'],
        message: 'submittedAt is later than receivedAt (a dossier is submitted, then received)',
        params: { rule: 'submitted_before_received' },
      });
    }
    // A code belongs to the agency it names: no system may take another agency's code (docs/domain.md).
    const code = (input as { code?: unknown }).code;
    const agency = (input as { agency?: { code?: unknown } }).agency?.code;
    if (typeof code === 'string' && typeof agency === 'string' && !code.startsWith(`${agency}-`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['code'],
        message: `dossier code ${code} does not belong to agency ${agency} (a code starts with its agency id)`,
        params: { rule: 'code_agency' },
      });
    }
    const ret = d.resultReturn as { method?: unknown; address?: unknown } | undefined;
    const applicant = d.applicant as { address?: unknown } | undefined;
    if (ret?.method === 'postal' && !ret.address && !applicant?.address) {
      ctx.addIssue({
        code: 'custom',
        path: ['resultReturn', 'address'],
        message: "postal return needs an address: give resultReturn.address or the applicant's address",
        params: { rule: 'postal_return_address' },
      });
    }
  }, ALWAYS)
  .openapi('DossierInput');
export type DossierInput = z.output<typeof DossierInputSchema>;

/** A status event pushed by a source system. */
export const StatusEventInputSchema = z
  .object({
    status: StatusSchema,
    at: isoDateTime,
    note: longText(2000).optional(),
    officer: OfficerSchema.optional(),
    dueAt: isoDateTime.optional().openapi({ description: 'A new due date (apology and new appointment)' }),
    stepStartedAt: isoDateTime.optional().openapi({
      description: "This step's own start (sent to the portal with the step, never stored on the dossier)",
    }),
    stepDueAt: isoDateTime.optional().openapi({
      description: "This step's own deadline under the rules (sent to the portal with the step)",
    }),
  })
  .superRefine((e, ctx) => {
    const started = instant((e as { stepStartedAt?: unknown }).stepStartedAt);
    const due = instant((e as { stepDueAt?: unknown }).stepDueAt);
    if (started !== undefined && due !== undefined && due < started) {
      ctx.addIssue({
        code: 'custom',
        path: ['stepDueAt'],
        message: 'stepDueAt is earlier than stepStartedAt',
        params: { rule: 'step_due_after_start' },
      });
    }
  }, ALWAYS)
  .openapi('StatusEventInput');
export type StatusEventInput = z.output<typeof StatusEventInputSchema>;

/** The canonical fields of a dossier as stored (no history, no sources). */
export interface DossierData {
  procedure: { code: string; name: string };
  sector?: { code: string; name: string } | undefined;
  agency: { code: string; name: string };
  applicant: {
    type: (typeof APPLICANT_TYPES)[number];
    fullName: string;
    idNumber?: string | undefined;
    idKind?: IdKind | undefined;
    phone?: string | undefined;
    email?: string | undefined;
    address?: Address | undefined;
    portalAccountId?: string | undefined;
    vneidVerified?: boolean | undefined;
  };
  summary?: string | undefined;
  channel: (typeof CHANNELS)[number];
  submittedAt?: string | undefined;
  submissionPlace?: string | undefined;
  receivedAt: string;
  dueAt?: string | undefined;
  resolvedAt?: string | undefined;
  returnedAt?: string | undefined;
  rejectedAt?: string | undefined;
  resultReturn: { method: (typeof RETURN_METHODS)[number]; address?: Address | undefined };
  documents: z.output<typeof DocumentSchema>[];
  fees: z.output<typeof FeeSchema>[];
  onlinePayment?: (typeof ONLINE_PAYMENTS)[number] | undefined;
  nationalDatabases?: string[] | undefined;
  results?: z.output<typeof ResultDocumentSchema>[] | undefined;
  note?: string | undefined;
}

export const HistoryEntrySchema = z
  .object({
    status: StatusSchema,
    at: z.string(),
    note: z.string().optional(),
    officer: OfficerSchema.optional(),
    source: z.object({ system: z.string(), recordId: z.string().optional() }).optional(),
    applied: z.boolean().openapi({ description: 'false when the event was older than the current state' }),
    recordedAt: z.string(),
  })
  .openapi('HistoryEntry');

/** `GET /v1/dossiers/{id}/events`: a dossier's status history, oldest first. */
export const EventListSchema = z
  .object({ dossierId: z.string(), items: z.array(HistoryEntrySchema) })
  .openapi('EventList');
export type HistoryEntry = z.output<typeof HistoryEntrySchema>;

export const SourceRefSchema = z
  .object({
    system: z.string(),
    recordId: z.string(),
    code: z.string().optional(),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
  })
  .openapi('SourceRef');

const DossierCoreSchema = z.object({
  id: z.string(),
  code: z.string(),
  held: z
    .boolean()
    .openapi({ description: 'Waiting for a dedup review: nothing is sent out until it is decided' }),
  status: StatusSchema,
  statusAt: z.string(),
  procedure: CodeNameSchema,
  sector: CodeNameSchema.optional(),
  agency: CodeNameSchema,
  applicant: z.object({
    type: z.enum(APPLICANT_TYPES),
    fullName: z.string(),
    idNumber: z.string().optional(),
    idKind: z.enum(ID_KINDS).optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    address: AddressSchema.optional(),
    portalAccountId: z.string().optional(),
    vneidVerified: z.boolean().optional(),
  }),
  summary: z.string().optional(),
  channel: z.enum(CHANNELS),
  submittedAt: z.string().optional(),
  submissionPlace: z.string().optional(),
  receivedAt: z.string(),
  dueAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  returnedAt: z.string().optional(),
  rejectedAt: z.string().optional(),
  resultReturn: z.object({ method: z.enum(RETURN_METHODS), address: AddressSchema.optional() }),
  documents: z.array(DocumentSchema),
  fees: z.array(FeeSchema),
  onlinePayment: z.enum(ONLINE_PAYMENTS).optional(),
  nationalDatabases: z.array(z.string()).optional(),
  results: z.array(ResultDocumentSchema).optional(),
  note: z.string().optional(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  links: z.object({ self: z.string(), events: z.string() }),
});

/** A dossier as the API returns it. */
export const ConflictSchema = z
  .object({
    field: z.string(),
    kept: z.unknown(),
    keptSystem: z.string().nullable(),
    other: z.unknown(),
    otherSystem: z.string(),
    detectedAt: z.string(),
  })
  .openapi('Conflict');

export const DossierSchema = DossierCoreSchema.extend({
  aliases: z.array(z.object({ code: z.string(), system: z.string() })).openapi({
    description: "Other systems' codes for this dossier (kept after a merge)",
  }),
  conflicts: z.array(ConflictSchema),
  sources: z.array(SourceRefSchema),
  history: z.array(HistoryEntrySchema),
}).openapi('Dossier');
export type Dossier = z.output<typeof DossierSchema>;

export const DossierSummarySchema = DossierCoreSchema.openapi('DossierSummary');
export type DossierSummary = z.output<typeof DossierSummarySchema>;

export const INTAKE_OUTCOMES = ['created', 'updated', 'merged', 'held_for_review'] as const;

export const MatchReasonSchema = z
  .object({ field: z.string(), similarity: z.number().optional(), note: z.string() })
  .openapi('MatchReason');

export const MatchCandidateSchema = z
  .object({
    dossierId: z.string(),
    code: z.string(),
    score: z.number().openapi({ description: 'Weighted similarity 0…1' }),
    autoMergeable: z
      .boolean()
      .openapi({ description: 'Whether every hard gate for an automatic merge holds' }),
    reasons: z.array(MatchReasonSchema),
  })
  .openapi('MatchCandidate');

export const IntakeResultSchema = DossierSchema.extend({
  outcome: z.enum(INTAKE_OUTCOMES).openapi({
    description:
      'created: a new dossier; updated: the same record again; merged: joined an existing dossier (dual entry); held_for_review: a possible dual entry an operator must decide',
  }),
  match: MatchCandidateSchema.optional().openapi({ description: 'For merged: the dossier joined and why' }),
  review: z
    .object({ id: z.string(), candidates: z.array(MatchCandidateSchema) })
    .optional()
    .openapi({ description: 'For held_for_review: the review item and its candidates' }),
}).openapi('IntakeResult');

export const EventResultSchema = z
  .object({
    dossierId: z.string(),
    code: z.string(),
    status: StatusSchema.openapi({ description: 'The dossier status after the event' }),
    event: HistoryEntrySchema,
    outcome: z.enum(['applied', 'recorded_only', 'duplicate']).openapi({
      description:
        'applied: the state moved; recorded_only: older than the current state, kept in history; duplicate: already recorded',
    }),
    links: z.object({ dossier: z.string() }),
  })
  .openapi('EventResult');

export const DossierListSchema = z
  .object({
    items: z.array(DossierSummarySchema),
    nextCursor: z.string().nullable(),
    links: z.object({ next: z.string().nullable() }),
  })
  .openapi('DossierList');
