/**
 * The JSON documents the gateway keeps in its own table columns, as it wrote them. The store decodes
 * every JSON column with one of these before anything else sees it (docs/architecture.md), so a row
 * that was damaged or written by an incompatible version fails loudly at the boundary instead of
 * somewhere deep in a use case. They check shape, not input rules: what was stored already passed the
 * input schemas in `dossier.ts`.
 */
import { z } from 'zod';
import {
  APPLICANT_TYPES,
  CHANNELS,
  type DossierData,
  type DossierStatus,
  ID_KINDS,
  ONLINE_PAYMENTS,
  RETURN_METHODS,
  STATUSES,
} from './dossier.js';

const CodeName = z.object({ code: z.string(), name: z.string() });

const StoredAddress = z.object({
  line: z.string().optional(),
  communeCode: z.string().optional(),
  provinceCode: z.string().optional(),
  original: z.string().optional(),
});

/** `dossiers.data`, and the `data` of `dossier_sources.last_input`: the canonical fields. */
export const StoredDossierDataSchema = z.object({
  procedure: CodeName,
  sector: CodeName.optional(),
  agency: CodeName,
  applicant: z.object({
    type: z.enum(APPLICANT_TYPES),
    fullName: z.string(),
    idNumber: z.string().optional(),
    idKind: z.enum(ID_KINDS).optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    address: StoredAddress.optional(),
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
  resultReturn: z.object({ method: z.enum(RETURN_METHODS), address: StoredAddress.optional() }),
  documents: z.array(
    z.object({
      name: z.string(),
      componentCode: z.string().optional(),
      sha256: z.string().optional(),
      digitized: z.boolean(),
      url: z.string().optional(),
      id: z.string().optional(),
      deleted: z.boolean().optional(),
      reused: z.boolean().optional(),
      reusedResultCode: z.string().optional(),
      fromNationalStore: z.boolean().optional(),
    }),
  ),
  fees: z.array(
    z.object({
      code: z.string().optional(),
      name: z.string(),
      amount: z.number(),
      paid: z.boolean().optional(),
    }),
  ),
  onlinePayment: z.enum(ONLINE_PAYMENTS).optional(),
  nationalDatabases: z.array(z.string()).optional(),
  results: z
    .array(
      z.object({
        name: z.string(),
        componentCode: z.string().optional(),
        documentId: z.string().optional(),
        url: z.string().optional(),
        resultCode: z.string().optional(),
      }),
    )
    .optional(),
  note: z.string().optional(),
});

/** `dossier_sources.last_input`: what one source last pushed, to tell its own changes from others'. */
export const StoredLastInputSchema = z.object({
  data: StoredDossierDataSchema,
  status: z.enum(STATUSES),
});
export interface LastInput {
  data: DossierData;
  status: DossierStatus;
}

/** `status_history.officer`. */
export const StoredOfficerSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  unit: z.string().optional(),
});
export type StoredOfficer = z.output<typeof StoredOfficerSchema>;

/** `dedup_reviews.candidates`: the candidates as the matcher scored them. */
export const StoredCandidatesSchema = z.array(
  z.object({
    dossierId: z.string(),
    code: z.string(),
    score: z.number(),
    autoMergeable: z.boolean(),
    reasons: z.array(z.object({ field: z.string(), similarity: z.number().optional(), note: z.string() })),
  }),
);

/** `dedup_reviews.decision`: what the operator decided. */
export const StoredDecisionSchema = z.record(z.string(), z.unknown());

/** `clients.agencies`. */
export const StoredAgenciesSchema = z.array(z.string());

/**
 * Parses a JSON column and checks it against `schema`; answers the parsed value itself (not zod's
 * copy), so member order, and with it every answer and payload built from it, stays as written.
 */
export function decodeJsonColumn<T>(schema: z.ZodType, column: string, text: string): T {
  const value: unknown = JSON.parse(text);
  const checked = schema.safeParse(value);
  if (!checked.success) {
    throw new Error(`stored ${column} does not match its schema: ${checked.error.issues[0]?.message}`);
  }
  return value as T;
}
