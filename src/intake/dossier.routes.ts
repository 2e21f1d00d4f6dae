/** Route declarations for dossiers and status events (the OpenAPI document is generated from these). */

import { createRoute, z } from '@hono/zod-openapi';
import {
  DossierInputSchema,
  DossierListSchema,
  DossierSchema,
  EventListSchema,
  EventResultSchema,
  IntakeResultSchema,
  StatusEventInputSchema,
  StatusSchema,
} from '../../schemas/dossier.js';
import { checkAgencyId, IdParamsSchema, zIdentifier, zInstant, zToken } from '../../schemas/identifiers.js';
import { IdempotencyHeaders, problems, SECURITY, WRITE_PROBLEMS } from '../http/openapi.js';

const tags = ['Dossiers'];

export const pushDossier = createRoute({
  method: 'post',
  path: '/v1/dossiers',
  tags,
  summary: 'Push a dossier (create, or update when this system pushes the same record id again)',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: DossierInputSchema } } },
  },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: IntakeResultSchema } } },
    200: {
      description: 'Updated (the same record again) or merged (joined an existing dossier)',
      content: { 'application/json': { schema: IntakeResultSchema } },
    },
    202: {
      description:
        'Held for review: a possible dual entry; kept, but nothing is sent out until an operator decides',
      content: { 'application/json': { schema: IntakeResultSchema } },
    },
    ...problems(...WRITE_PROBLEMS),
  },
});

const EventResponses = {
  201: { description: 'Event recorded', content: { 'application/json': { schema: EventResultSchema } } },
  200: {
    description: 'The same event (status and time) was already recorded',
    content: { 'application/json': { schema: EventResultSchema } },
  },
  ...problems(...WRITE_PROBLEMS, 404),
};

export const postEventById = createRoute({
  method: 'post',
  path: '/v1/dossiers/{id}/events',
  tags,
  summary: 'Report a status event for a dossier, by gateway id',
  security: SECURITY,
  request: {
    params: IdParamsSchema,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: StatusEventInputSchema } } },
  },
  responses: EventResponses,
});

export const postEventByRecord = createRoute({
  method: 'post',
  path: '/v1/records/{recordId}/events',
  tags,
  summary: "Report a status event addressed by the calling system's own record id",
  security: SECURITY,
  request: {
    params: z.object({ recordId: zToken('record_id_format', 200) }),
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: StatusEventInputSchema } } },
  },
  responses: EventResponses,
});

export const getDossier = createRoute({
  method: 'get',
  path: '/v1/dossiers/{id}',
  tags,
  summary: 'One dossier with its status history and source references',
  security: SECURITY,
  request: { params: IdParamsSchema },
  responses: {
    200: { description: 'The dossier', content: { 'application/json': { schema: DossierSchema } } },
    ...problems(400, 401, 403, 404, 500),
  },
});

export const getEvents = createRoute({
  method: 'get',
  path: '/v1/dossiers/{id}/events',
  tags,
  summary: "A dossier's status history, oldest first (the events of every source, applied or only recorded)",
  security: SECURITY,
  request: { params: IdParamsSchema },
  responses: {
    200: { description: 'The history', content: { 'application/json': { schema: EventListSchema } } },
    ...problems(400, 401, 403, 404, 500),
  },
});

export const listDossiersRoute = createRoute({
  method: 'get',
  path: '/v1/dossiers',
  tags,
  summary: 'List dossiers by code, agency, status and updated-since, oldest change first, cursor-paged',
  security: SECURITY,
  request: {
    query: z
      .object({
        code: z.string().trim().min(1).max(60).optional(),
        agency: zIdentifier(checkAgencyId).optional(),
        status: StatusSchema.optional(),
        updatedSince: zInstant().optional(),
        cursor: z.string().max(500).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      })
      .strict(),
  },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: DossierListSchema } } },
    ...problems(400, 401, 403, 500),
  },
});
