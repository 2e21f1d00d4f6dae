/**
 * Pure translations between the canonical model and the national portal's formats
 * (docs/portal.md). Start with `createPortalMapper`, which the composition root builds from the settings
 * and the delivery worker uses: it parses an outbox payload and maps it, throwing `PortalMappingError`
 * (naming the field) when it cannot. `portalMapper` is the same with the default settings.
 */

import type { z } from 'zod';
import {
  DossierSyncPayloadSchema,
  type PortalDossier,
  type PortalProgress,
  ProgressPayloadSchema,
} from '../../schemas/portal.js';
import {
  DEFAULT_PORTAL_MAPPING_OPTIONS,
  type PortalMappingOptions,
  toPortalDossier,
} from './dossier.mapping.js';
import { issuePath, PortalMappingError } from './errors.js';
import { toPortalProgress } from './progress.mapping.js';

export * from './codes.js';
export { formatPortalDate, parsePortalDate, toPortalPrecision } from './dates.js';
export {
  DEFAULT_PORTAL_MAPPING_OPTIONS,
  fromPortalDossier,
  type PortalHeldDocument,
  type PortalHeldDossier,
  type PortalMappingOptions,
  portalHeldView,
  toPortalDossier,
} from './dossier.mapping.js';
export { PortalMappingError } from './errors.js';
export { cutOnWord, SYSTEM_ACTOR, toPortalProgress } from './progress.mapping.js';

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

export interface PortalPayloadMapper {
  dossier(payload: unknown): { code: string; object: PortalDossier };
  progress(payload: unknown): { code: string; record: PortalProgress };
}

/** Outbox payload (as read from the store) → portal wire object, for the delivery worker. */
export function createPortalMapper(
  options: PortalMappingOptions = DEFAULT_PORTAL_MAPPING_OPTIONS,
): PortalPayloadMapper {
  const settings: PortalMappingOptions = { ...options };
  return {
    dossier(payload) {
      const parsed = parsePayload(DossierSyncPayloadSchema, payload, 'dossier sync');
      const object = toPortalDossier(parsed, settings);
      return { code: object.MaHoSo, object };
    },
    progress(payload) {
      const record = toPortalProgress(parsePayload(ProgressPayloadSchema, payload, 'progress'));
      return { code: record.MaHoSo, record };
    },
  };
}

/** The mapper with the default settings (`Gia` as a string). */
export const portalMapper: PortalPayloadMapper = createPortalMapper();
