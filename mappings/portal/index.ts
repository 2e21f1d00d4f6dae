/**
 * Pure translations between the canonical model and the national portal's formats
 * (docs/portal.md). Start with `portalMapper`, which the delivery worker uses: it parses an outbox
 * payload and maps it, throwing `PortalMappingError` (naming the field) when it cannot.
 */

import type { z } from 'zod';
import {
  DossierSyncPayloadSchema,
  type PortalDossier,
  type PortalProgress,
  ProgressPayloadSchema,
} from '../../schemas/portal.js';
import { toPortalDossier } from './dossier.mapping.js';
import { issuePath, PortalMappingError } from './errors.js';
import { toPortalProgress } from './progress.mapping.js';

export * from './codes.js';
export { formatPortalDate, parsePortalDate, toPortalPrecision } from './dates.js';
export {
  fromPortalDossier,
  type PortalHeldDossier,
  portalHeldView,
  toPortalDossier,
} from './dossier.mapping.js';
export { PortalMappingError } from './errors.js';
export { DEFAULT_OFFICER_TITLE, SYSTEM_ACTOR, toPortalProgress } from './progress.mapping.js';

function parsePayload<T extends z.ZodType>(schema: T, payload: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const code =
    typeof payload === 'object' && payload !== null && 'code' in payload && typeof payload.code === 'string'
      ? payload.code
      : undefined;
  const field = issue ? issuePath(issue) : '(payload)';
  throw new PortalMappingError(
    code,
    `payload.${field}`,
    undefined,
    `invalid ${what} payload: ${issue?.message}`,
  );
}

/** Outbox payload (as read from the store) → portal wire object, for the delivery worker. */
export const portalMapper = {
  dossier(payload: unknown): { code: string; object: PortalDossier } {
    const object = toPortalDossier(parsePayload(DossierSyncPayloadSchema, payload, 'dossier sync'));
    return { code: object.MaHoSo, object };
  },
  progress(payload: unknown): { code: string; record: PortalProgress } {
    const record = toPortalProgress(parsePayload(ProgressPayloadSchema, payload, 'progress'));
    return { code: record.MaHoSo, record };
  },
};
