/** The dedup review queue, as operators see it. */
import { z } from '@hono/zod-openapi';
import { DossierSummarySchema, MatchCandidateSchema } from './dossier.js';
import { zToken } from './identifiers.js';

export const REVIEW_STATES = ['pending', 'merged', 'kept_apart'] as const;

export const ReviewSchema = z
  .object({
    id: z.string(),
    state: z.enum(REVIEW_STATES),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decision: z.record(z.string(), z.unknown()).nullable(),
    dossier: DossierSummarySchema.openapi({ description: 'The held record' }),
    candidates: z.array(MatchCandidateSchema.extend({ dossier: DossierSummarySchema.nullable() })),
  })
  .openapi('Review');

export const ReviewListSchema = z.object({ items: z.array(ReviewSchema) }).openapi('ReviewList');

export const MergeDecisionSchema = z
  .object({
    into: zToken('id_format', 100)
      .optional()
      .openapi({ description: 'The candidate to merge into; default the best' }),
  })
  .openapi('MergeDecision');

export const SplitRequestSchema = z
  .object({ system: zToken('system_name_format', 64), recordId: zToken('record_id_format', 200) })
  .openapi('SplitRequest');

export const DecisionResultSchema = z
  .object({ dossierId: z.string(), splitId: z.string().optional(), links: z.object({ dossier: z.string() }) })
  .openapi('DecisionResult');
