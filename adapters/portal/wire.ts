/**
 * The portal's request envelopes as the gateway sends them, and the settings where public clients
 * disagree and no specification decides (docs/portal-contract.md). The items inside `data` are the
 * mapping's objects, checked with `schemas/portal.ts`; this file only knows what surrounds them.
 *
 * - DongBoHoSoMC: `{session, madonvi, service, isUpdating, data}`, `isUpdating` as the strings
 *   `"True"`/`"False"` (the direct client's form, the default) or as a JSON boolean.
 * - CapNhatTienDoHoSoMC: `{session, madonvi, service, data}`, no `isUpdating`.
 * - TraCuuHoSo: `{session, madonvi, service, mahoso}`, one code per call at the top level.
 */
import { z } from 'zod';

export const IS_UPDATING_FORMS = ['string', 'boolean'] as const;
export type IsUpdatingForm = (typeof IS_UPDATING_FORMS)[number];

/** Where public clients disagree, what the gateway does by default (the direct client's choices). */
export const PORTAL_WIRE_DEFAULTS = {
  authPath: '/auth',
  integrationPath: '/integration',
  isUpdatingAs: 'string' as IsUpdatingForm,
  /** DongBoHoSoMC objects per call: the contract's safe setting. */
  syncBatchSize: 50,
  /** Log in again once a session is this old (10 minutes). */
  sessionTtlMs: 600_000,
} as const;

/** CapNhatTienDoHoSoMC records per call: a public client chunks by 10. */
export const PROGRESS_BATCH_LIMIT = 10;

/** `isUpdating` in the configured form. */
export function isUpdatingValue(isUpdating: boolean, form: IsUpdatingForm): 'True' | 'False' | boolean {
  if (form === 'boolean') return isUpdating;
  return isUpdating ? 'True' : 'False';
}

/** `base` + `path` with exactly one slash between them (`https://h/lgsp/` + `/auth` → `https://h/lgsp/auth`). */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

const text = z.string().min(1, 'must not be empty');

const head = { session: text, madonvi: text };

export const SyncRequestSchema = z.strictObject({
  ...head,
  service: z.literal('DongBoHoSoMC'),
  isUpdating: z.union([z.literal('True'), z.literal('False'), z.boolean()]),
  data: z.array(z.unknown()),
});

export const ProgressRequestSchema = z.strictObject({
  ...head,
  service: z.literal('CapNhatTienDoHoSoMC'),
  data: z.array(z.unknown()),
});

export const LookupRequestSchema = z.strictObject({
  ...head,
  service: z.literal('TraCuuHoSo'),
  mahoso: text,
});

/** An integration request as the gateway sends it. */
export const IntegrationRequestSchema = z.discriminatedUnion('service', [
  SyncRequestSchema,
  ProgressRequestSchema,
  LookupRequestSchema,
]);
export type IntegrationRequest = z.output<typeof IntegrationRequestSchema>;
